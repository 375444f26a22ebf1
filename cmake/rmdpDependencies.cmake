# The library's dependencies, found the same way for the build (CMakeLists.txt) and for users of
# the installed package (rmdpConfig.cmake, which sets RMDP_FIND_AS_DEPENDENCY): Boost and
# nlohmann_json through their CMake configs, GMP and MPFR through pkg-config, and MPFI, which ships
# neither, through its header and library, wrapped in the imported target rmdp::mpfi; FLINT likewise (rmdp::flint).
if(RMDP_FIND_AS_DEPENDENCY)
  include(CMakeFindDependencyMacro)
  find_dependency(Boost 1.74)
  find_dependency(nlohmann_json 3)
  find_dependency(PkgConfig)
else()
  find_package(Boost 1.74 REQUIRED)
  find_package(nlohmann_json 3 REQUIRED)
  find_package(PkgConfig REQUIRED)
endif()
pkg_check_modules(GMP REQUIRED IMPORTED_TARGET gmp)
pkg_check_modules(MPFR REQUIRED IMPORTED_TARGET mpfr)
find_path(MPFI_INCLUDE_DIR mpfi.h REQUIRED)
find_library(MPFI_LIBRARY mpfi REQUIRED)
if(NOT TARGET rmdp::mpfi)
  add_library(rmdp::mpfi INTERFACE IMPORTED)
  set_target_properties(rmdp::mpfi PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${MPFI_INCLUDE_DIR}"
    INTERFACE_SYSTEM_INCLUDE_DIRECTORIES "${MPFI_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES "${MPFI_LIBRARY};PkgConfig::MPFR;PkgConfig::GMP")
endif()
# FLINT (exact linear algebra: p-adic Dixon solves, lib/src/linalg.cpp) ships no CMake config;
# Debian's libflint-dev puts its headers under flint/.
find_path(FLINT_INCLUDE_DIR flint/fmpq_mat.h REQUIRED)
find_library(FLINT_LIBRARY flint REQUIRED)
if(NOT TARGET rmdp::flint)
  add_library(rmdp::flint INTERFACE IMPORTED)
  set_target_properties(rmdp::flint PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${FLINT_INCLUDE_DIR}"
    INTERFACE_SYSTEM_INCLUDE_DIRECTORIES "${FLINT_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES "${FLINT_LIBRARY};PkgConfig::MPFR;PkgConfig::GMP")
endif()
