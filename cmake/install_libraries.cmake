# cmake --install of the libraries (install component "dev", the hypertick-dev package):
#   <prefix>/include/hypertick/...                    the public headers of each library
#   <prefix>/<libdir>/libhypertick_<name>.a            base, executor, and feed, book, stats unless
#                                                      HYPERTICK_EXECUTOR_ONLY (libdir: see below)
#   <prefix>/<libdir>/cmake/hypertick/                 find_package(hypertick): hypertick::<name>
#   <prefix>/<libdir>/pkgconfig/hypertick-<name>.pc    pkg-config --cflags --libs hypertick-<name>
# examples/consumer/ is a project that uses them; tests/package builds it against an install.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

get_property(hypertick_libraries GLOBAL PROPERTY HYPERTICK_LIBRARIES)
# On a multiarch system (Debian) the libraries go to lib/<triplet> whatever the prefix was at
# configure time (GNUInstallDirs picks it only for /usr), as the hypertick-dev package wants.
set(hypertick_libdir ${CMAKE_INSTALL_LIBDIR})
if(hypertick_libdir STREQUAL "lib" AND CMAKE_LIBRARY_ARCHITECTURE)
  set(hypertick_libdir lib/${CMAKE_LIBRARY_ARCHITECTURE})
endif()
set(hypertick_cmake_dir ${hypertick_libdir}/cmake/hypertick)

# What each library is, and what its pkg-config file requires besides itself.
set(hypertick_pc_description_base "assertions kept in release builds, byte order, Ethernet/IPv4/UDP headers, size text")
set(hypertick_pc_description_executor "zero-allocation single-threaded C++20 async executor")
set(hypertick_pc_description_feed "Ethernet/IPv4/UDP, MoldUDP64 and NASDAQ ITCH 5.0 decoding and sequencing")
set(hypertick_pc_description_book "full-depth ITCH order books")
set(hypertick_pc_description_stats "HdrHistogram-compatible latency histograms and .hlog interval logs")
set(hypertick_pc_requires_base "")
set(hypertick_pc_requires_executor "hypertick-base")
set(hypertick_pc_requires_feed "hypertick-base")
set(hypertick_pc_requires_book "hypertick-feed hypertick-base")
set(hypertick_pc_requires_stats "hypertick-executor zlib")

set(HYPERTICK_CONFIG_DEPENDENCIES "")
if("stats" IN_LIST hypertick_libraries)
  string(APPEND HYPERTICK_CONFIG_DEPENDENCIES "find_dependency(ZLIB)  # hypertick::stats links zlib\n")
endif()
set(HYPERTICK_EXPORTED_TARGETS "")

foreach(name IN LISTS hypertick_libraries)
  install(TARGETS hypertick_${name} EXPORT hypertickTargets
          ARCHIVE DESTINATION ${hypertick_libdir} COMPONENT dev)
  get_target_property(source_dir hypertick_${name} SOURCE_DIR)
  install(DIRECTORY ${source_dir}/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT dev)
  string(APPEND HYPERTICK_EXPORTED_TARGETS " hypertick::${name}")

  # The .pc names the prefix of the install that writes it (cmake --install --prefix, cpack's
  # /usr), so it is written at install time.
  set(pc_source ${CMAKE_BINARY_DIR}/pkgconfig/hypertick-${name}.pc.in)
  set(PC_NAME ${name})
  set(PC_DESCRIPTION "${hypertick_pc_description_${name}}")
  set(PC_REQUIRES "${hypertick_pc_requires_${name}}")
  set(PC_VERSION ${PROJECT_VERSION})
  set(PC_INCLUDEDIR ${CMAKE_INSTALL_INCLUDEDIR})
  set(PC_LIBDIR ${hypertick_libdir})
  set(PC_PREFIX "@PC_PREFIX@")  # left for the install-time pass
  configure_file(${CMAKE_CURRENT_LIST_DIR}/hypertick.pc.in ${pc_source} @ONLY)
  install(CODE "
    set(PC_PREFIX \"\${CMAKE_INSTALL_PREFIX}\")
    set(pc_file \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${hypertick_libdir}/pkgconfig/hypertick-${name}.pc\")
    message(STATUS \"Installing: \${pc_file}\")
    configure_file(\"${pc_source}\" \"\${pc_file}\" @ONLY)
  " COMPONENT dev)
endforeach()

install(EXPORT hypertickTargets NAMESPACE hypertick:: DESTINATION ${hypertick_cmake_dir} COMPONENT dev)
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/hypertickConfig.cmake.in
  ${CMAKE_BINARY_DIR}/cmake/hypertickConfig.cmake INSTALL_DESTINATION ${hypertick_cmake_dir})
# 0.x: a minor release may break the API, so 0.1 accepts 0.1.y only.
write_basic_package_version_file(${CMAKE_BINARY_DIR}/cmake/hypertickConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/cmake/hypertickConfig.cmake ${CMAKE_BINARY_DIR}/cmake/hypertickConfigVersion.cmake
        DESTINATION ${hypertick_cmake_dir} COMPONENT dev)
