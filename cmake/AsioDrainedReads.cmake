# Builds against a patched copy of three Boost.Asio 1.81 headers: a read that drains a socket
# ends the speculative reads that otherwise fail with EAGAIN on every keep-alive exchange
# (patches/boost-asio-1.81-drained-reads.patch says why and when it is safe).
#
# The copies live in the build tree and are put on the include path before the system's
# Boost; every target compiles against them (one definition of Asio's reactor per program).
# Another Boost version builds with its own headers unchanged, with a warning.
option(CPROXY_ASIO_DRAINED_READS "Patch Boost.Asio 1.81 so a drained socket waits for epoll" ON)

set(asio_patch_file ${CMAKE_SOURCE_DIR}/patches/boost-asio-1.81-drained-reads.patch)
set(asio_patched_headers
  boost/asio/detail/epoll_reactor.hpp
  boost/asio/detail/impl/epoll_reactor.ipp
  boost/asio/detail/reactive_socket_recv_op.hpp)

function(cproxy_use_patched_asio)
  if(NOT CPROXY_ASIO_DRAINED_READS)
    return()
  endif()
  if(NOT Boost_VERSION VERSION_EQUAL 1.81.0)
    message(WARNING "Boost ${Boost_VERSION}: the Asio patch is for 1.81.0 only; building with "
                    "the unpatched headers (one failing read per exchange).")
    return()
  endif()
  find_program(PATCH_PROGRAM patch REQUIRED)
  set(work ${CMAKE_BINARY_DIR}/asio-patch-work)
  set(dest ${CMAKE_BINARY_DIR}/asio-patched)
  file(REMOVE_RECURSE ${work})
  foreach(header IN LISTS asio_patched_headers)
    set(original)
    foreach(dir IN LISTS Boost_INCLUDE_DIRS)
      if(EXISTS ${dir}/${header})
        set(original ${dir}/${header})
        break()
      endif()
    endforeach()
    if(NOT original)
      message(FATAL_ERROR "Boost 1.81 header ${header} not found in ${Boost_INCLUDE_DIRS}")
    endif()
    get_filename_component(subdir ${header} DIRECTORY)
    file(COPY ${original} DESTINATION ${work}/${subdir})
  endforeach()
  # --fuzz=0: every context line must match, so a hunk never lands in a reworked function.
  execute_process(COMMAND ${PATCH_PROGRAM} -p1 --batch --silent --fuzz=0 -d ${work} -i ${asio_patch_file}
                  RESULT_VARIABLE patch_result OUTPUT_VARIABLE patch_output ERROR_VARIABLE patch_output)
  if(NOT patch_result EQUAL 0)
    message(FATAL_ERROR "${asio_patch_file} does not apply to Boost ${Boost_VERSION}:\n${patch_output}\n"
                        "Configure with -DCPROXY_ASIO_DRAINED_READS=OFF to build without it.")
  endif()
  # Copy only what changed, so a re-configure does not rebuild every translation unit.
  foreach(header IN LISTS asio_patched_headers)
    get_filename_component(subdir ${header} DIRECTORY)
    file(MAKE_DIRECTORY ${dest}/${subdir})
    file(COPY_FILE ${work}/${header} ${dest}/${header} ONLY_IF_DIFFERENT)
  endforeach()
  set_property(DIRECTORY ${CMAKE_SOURCE_DIR} APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${asio_patch_file})
  # SYSTEM: searched before /usr/include, and Boost's own warnings stay quiet as before.
  include_directories(BEFORE SYSTEM ${dest})
  add_compile_definitions(CPROXY_ASIO_PATCH_EXPECTED=1)  # lets a test check the copies are used
  message(STATUS "Boost.Asio: drained-reads patch applied (${dest})")
endfunction()
