# ctest entries of the gradient layer (included from tests/CMakeLists.txt): malformed directions
# and counterexamples, the differential test of `rmdp gradient` against the exact Python reference.
add_test(NAME gradient_malformed_input
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/malformed/run_malformed.py $<TARGET_FILE:rmdp>
          --cases ${CMAKE_CURRENT_SOURCE_DIR}/malformed/gradient_cases.txt)
set_tests_properties(gradient_malformed_input PROPERTIES TIMEOUT 300)

add_test(NAME gradient_differential
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/differential/run_gradient_differential.py $<TARGET_FILE:rmdp>
          --count 40 --seed 20241121)
set_tests_properties(gradient_differential PROPERTIES TIMEOUT 600)
