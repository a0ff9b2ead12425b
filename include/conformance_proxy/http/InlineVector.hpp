#pragma once
// A vector that keeps its first N elements inline and spills to the heap only beyond them,
// so the common case (a typical response head) costs no heap allocation. The inline slots
// are raw storage: constructing an empty InlineVector touches none of them (a head of 128
// zero-initialised field lines would cost a few kilobytes of memset per response).
#include <cstddef>
#include <iterator>
#include <memory>
#include <new>
#include <vector>

namespace cproxy::http {

template <class T, std::size_t N>
class InlineVector {
public:
    InlineVector() noexcept {}
    InlineVector(const InlineVector& other) : overflow_(other.overflow_) {
        for (std::size_t i = 0; i < other.inline_size(); ++i)
            std::construct_at(slot(i), *other.slot(i));
        size_ = other.size_;
    }
    InlineVector& operator=(const InlineVector& other) {
        if (this != &other) {
            clear();
            for (std::size_t i = 0; i < other.inline_size(); ++i)
                std::construct_at(slot(i), *other.slot(i));
            overflow_ = other.overflow_;
            size_ = other.size_;
        }
        return *this;
    }
    ~InlineVector() { clear(); }

    void push_back(const T& value) {
        if (size_ < N)
            std::construct_at(slot(size_), value);
        else
            overflow_.push_back(value);
        ++size_;
    }

    // A value-initialised element at the end, built in place (no temporary to copy).
    T& emplace_back() {
        T* element;
        if (size_ < N)
            element = std::construct_at(slot(size_));
        else
            element = &overflow_.emplace_back();
        ++size_;
        return *element;
    }

    void clear() noexcept {
        for (std::size_t i = 0; i < inline_size(); ++i) std::destroy_at(slot(i));
        overflow_.clear();
        size_ = 0;
    }

    std::size_t size() const noexcept { return size_; }
    bool empty() const noexcept { return size_ == 0; }
    bool spilled() const noexcept { return size_ > N; }

    T& operator[](std::size_t i) noexcept { return i < N ? *slot(i) : overflow_[i - N]; }
    const T& operator[](std::size_t i) const noexcept {
        return i < N ? *slot(i) : overflow_[i - N];
    }
    T& back() noexcept { return (*this)[size_ - 1]; }
    const T& back() const noexcept { return (*this)[size_ - 1]; }

    template <class Owner, class Value>
    class Iterator {
    public:
        using iterator_category = std::forward_iterator_tag;
        using value_type = T;
        using difference_type = std::ptrdiff_t;
        using pointer = Value*;
        using reference = Value&;
        Iterator() = default;
        Iterator(Owner* owner, std::size_t index) : owner_(owner), index_(index) {}
        Value& operator*() const { return (*owner_)[index_]; }
        Value* operator->() const { return &(*owner_)[index_]; }
        Iterator& operator++() {
            ++index_;
            return *this;
        }
        Iterator operator++(int) {
            Iterator old = *this;
            ++index_;
            return old;
        }
        bool operator==(const Iterator& other) const { return index_ == other.index_; }

    private:
        Owner* owner_ = nullptr;
        std::size_t index_ = 0;
    };
    using iterator = Iterator<InlineVector, T>;
    using const_iterator = Iterator<const InlineVector, const T>;

    iterator begin() { return {this, 0}; }
    iterator end() { return {this, size_}; }
    const_iterator begin() const { return {this, 0}; }
    const_iterator end() const { return {this, size_}; }

private:
    std::size_t inline_size() const noexcept { return size_ < N ? size_ : N; }
    T* slot(std::size_t i) noexcept { return std::launder(reinterpret_cast<T*>(storage_) + i); }
    const T* slot(std::size_t i) const noexcept {
        return std::launder(reinterpret_cast<const T*>(storage_) + i);
    }

    alignas(T) std::byte storage_[N * sizeof(T)];
    std::size_t size_ = 0;
    std::vector<T> overflow_;
};

}  // namespace cproxy::http
