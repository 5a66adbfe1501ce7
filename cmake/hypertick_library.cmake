# hypertick_library(<name> <sources>...): the static library hypertick_<name>, used in the tree
# as hypertick::<name> and installed and exported under the same name (cmake/install_libraries.cmake).
# Its public headers are <current dir>/include/hypertick/...; in an install they are
# <prefix>/include/hypertick/..., so an #include reads the same inside and outside the tree.
function(hypertick_library name)
  set(target hypertick_${name})
  add_library(${target} STATIC ${ARGN})
  add_library(hypertick::${name} ALIAS ${target})
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${name})
  target_include_directories(${target} PUBLIC
    $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/include>
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  target_compile_features(${target} PUBLIC cxx_std_20)
  # Build-only: a program using the installed library chooses its own warnings.
  target_link_libraries(${target} PRIVATE $<BUILD_INTERFACE:hypertick_warnings>)
  set_property(GLOBAL APPEND PROPERTY HYPERTICK_LIBRARIES ${name})
endfunction()
