# ctest entries of issue 11's formats and package (included from tests/CMakeLists.txt): craam2 CSV
# against hand-written JSON twins through the command line, malformed CSV and input options, the
# CSV reader/writer and the public generators through the library, and the installed package
# built and used by examples/consumer.
foreach(case convert commands roundtrip notes solve)
  add_test(NAME formats_${case}
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/formats/run_formats.py $<TARGET_FILE:rmdp> ${case})
  set_tests_properties(formats_${case} PROPERTIES TIMEOUT 120 SKIP_RETURN_CODE 77)
endforeach()

add_test(NAME formats_malformed_input
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/malformed/run_malformed.py $<TARGET_FILE:rmdp>
          --cases ${CMAKE_CURRENT_SOURCE_DIR}/formats/malformed_cases.txt)
set_tests_properties(formats_malformed_input PROPERTIES TIMEOUT 300)

# Library-level: CSV twins solve to the same exact V*, write/read round trips on generated MDPs.
add_executable(rmdp_format_tests formats/test_formats.cpp)
target_link_libraries(rmdp_format_tests PRIVATE rmdp_core Catch2::Catch2WithMain rapidcheck rapidcheck_catch)
target_compile_definitions(rmdp_format_tests PRIVATE RMDP_FORMATS_DIR="${CMAKE_CURRENT_SOURCE_DIR}/formats")
target_compile_options(rmdp_format_tests PRIVATE ${RMDP_WARNINGS})
if(RMDP_PCH)
  target_precompile_headers(rmdp_format_tests REUSE_FROM rmdp_core)
endif()
catch_discover_tests(rmdp_format_tests
  TEST_PREFIX "formats:"
  EXTRA_ARGS -w NoTests
  PROPERTIES ENVIRONMENT "RC_PARAMS=seed=20241130 max_success=300" TIMEOUT 300)

# The installed package: install into a scratch prefix, configure, build and run examples/consumer
# against it (find_package(rmdp CONFIG REQUIRED), rmdp::rmdp, <rmdp/testing.hpp>).
add_test(NAME package_consumer
  COMMAND ${CMAKE_COMMAND} -DBUILD_DIR=${CMAKE_BINARY_DIR} -DSOURCE_DIR=${PROJECT_SOURCE_DIR}
          -DWORK_DIR=${CMAKE_CURRENT_BINARY_DIR}/package_consumer -DCXX=${CMAKE_CXX_COMPILER}
          -P ${CMAKE_CURRENT_SOURCE_DIR}/formats/consumer_test.cmake)
set_tests_properties(package_consumer PROPERTIES TIMEOUT 600)

# CITATION.cff names the version that project() declares.
add_test(NAME citation_version
  COMMAND ${CMAKE_COMMAND} -DFILE=${PROJECT_SOURCE_DIR}/CITATION.cff -DVERSION=${PROJECT_VERSION}
          -P ${CMAKE_CURRENT_SOURCE_DIR}/formats/citation_version.cmake)
