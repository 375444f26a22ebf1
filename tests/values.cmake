# evaluate / solve / crosscheck (cli/values.cpp, lib/src/report.cpp): crosscheck against values
# worked out by hand, tolerances one ulp inside and outside, exit status 4, decimals in text output.
foreach(case tolerance_vstar tolerance_vpi exact_json q_and_optimality bad_tolerance decimals_text)
  add_test(NAME values_${case}
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/cli_values.py $<TARGET_FILE:rmdp> ${case})
  set_tests_properties(values_${case} PROPERTIES TIMEOUT 120)
endforeach()
