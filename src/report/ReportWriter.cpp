#include "conformance_proxy/report/ReportWriter.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "conformance_proxy/report/ReportJson.hpp"
#include "conformance_proxy/report/SarifReport.hpp"

namespace cproxy::report {

std::string write_file_atomically(const std::string& path, std::string_view content) {
    const std::string tmp = path + ".tmp";
    std::FILE* f = std::fopen(tmp.c_str(), "wb");
    if (f == nullptr) return "cannot write " + path + ": " + std::strerror(errno);
    const bool written = std::fwrite(content.data(), 1, content.size(), f) == content.size();
    const int saved_errno = errno;
    const bool closed = std::fclose(f) == 0;
    if (!written || !closed) {
        std::remove(tmp.c_str());
        return "cannot write " + path + ": " + std::strerror(written ? errno : saved_errno);
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        const int rename_errno = errno;
        std::remove(tmp.c_str());
        return "cannot write " + path + ": " + std::strerror(rename_errno);
    }
    return {};
}

WriteResult write_reports(const ReportSnapshot& snapshot, const ReportPaths& paths, const Verdict& verdict,
                          const HtmlOptions& html, const JunitOptions& junit) {
    WriteResult result;
    if (!paths.findings.empty()) result.written.push_back({"findings", paths.findings});
    auto write = [&](std::string_view kind, const std::string& path, auto render) {
        if (path.empty()) return;
        if (auto error = write_file_atomically(path, render()); error.empty())
            result.written.push_back({std::string(kind), path});
        else
            result.errors.push_back(std::move(error));
    };
    write("json", paths.report_json, [&] { return render_report_json(snapshot, verdict); });
    write("junit", paths.junit, [&] { return render_junit(snapshot, junit); });
    write("sarif", paths.sarif, [&] { return render_sarif(snapshot); });
    write("html", paths.html, [&] {
        HtmlOptions options = html;
        if (!options.verdict) options.verdict = verdict;
        return render_html(snapshot, options);
    });
    return result;
}

}  // namespace cproxy::report
