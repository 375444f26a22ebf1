# ctest entries of the MBPO layer (included from tests/CMakeLists.txt): malformed MBPO instances and
# counterexamples, and the differential test of `rmdp mbpo` against the exact Python reference.
set_source_files_properties(${CMAKE_CURRENT_SOURCE_DIR}/test_mbpo.cpp PROPERTIES
  COMPILE_DEFINITIONS "RMDP_MBPO_EXAMPLE=\"${PROJECT_SOURCE_DIR}/examples/mbpo-two-state.json\";RMDP_MBPO_EXAMPLES_DIR=\"${PROJECT_SOURCE_DIR}/examples\"")

add_test(NAME mbpo_malformed_input
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/malformed/run_malformed.py $<TARGET_FILE:rmdp>
          --cases ${CMAKE_CURRENT_SOURCE_DIR}/malformed/mbpo_cases.txt)
set_tests_properties(mbpo_malformed_input PROPERTIES TIMEOUT 300)

add_test(NAME mbpo_differential
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/differential/run_mbpo_differential.py $<TARGET_FILE:rmdp>
          --count 60 --seed 20241121)
set_tests_properties(mbpo_differential PROPERTIES TIMEOUT 600)

# `rmdp mbpo` on the documented example, and a refutation that `rmdp verify` re-checks.
add_test(NAME mbpo_cli_example
  COMMAND $<TARGET_FILE:rmdp> mbpo ${PROJECT_SOURCE_DIR}/examples/mbpo-two-state.json --json)
set_tests_properties(mbpo_cli_example PROPERTIES PASS_REGULAR_EXPRESSION "\"eta\": \"305/88\"")
add_test(NAME mbpo_cli_verify_refutation
  COMMAND $<TARGET_FILE:rmdp> verify ${PROJECT_SOURCE_DIR}/examples/mbpo-4.2a-counterexample.json)
foreach(cx mbpo-4.3a2 mbpo-4.3a3 mbpo-4.3b-notes)
  add_test(NAME mbpo_cli_verify_${cx}
    COMMAND $<TARGET_FILE:rmdp> verify ${PROJECT_SOURCE_DIR}/examples/${cx}-counterexample.json)
endforeach()

# An open eps bracket with C(lo) = 0 < C(hi) and gap > 0: the upper end of the tightness is +inf
# (null), not "C = 0" (docs/mbpo.md, "Tightness").
add_test(NAME mbpo_cli_tightness_unbounded
  COMMAND $<TARGET_FILE:rmdp> mbpo ${PROJECT_SOURCE_DIR}/examples/mbpo-open-bracket.json --horizon 0 --json)
set_tests_properties(mbpo_cli_tightness_unbounded PROPERTIES
  PASS_REGULAR_EXPRESSION "\"C_zero\": false,[ \n]*\"lower\": \"1/12\",[ \n]*\"upper\": null")

# The tightness campaign counts refutations under the check registry's word (`refuted`), and the
# per-instance verdicts use the trial outcome words (holds / refuted / undecided).
add_test(NAME mbpo_cli_campaign_words
  COMMAND $<TARGET_FILE:rmdp> mbpo --campaign 3 --seed 1 --json)
set_tests_properties(mbpo_cli_campaign_words PROPERTIES PASS_REGULAR_EXPRESSION "\"refuted\": [0-9]+")
add_test(NAME mbpo_cli_verdict_words
  COMMAND $<TARGET_FILE:rmdp> mbpo ${PROJECT_SOURCE_DIR}/examples/mbpo-two-state.json --json)
set_tests_properties(mbpo_cli_verdict_words PROPERTIES
  PASS_REGULAR_EXPRESSION "\"verdict\": \"(holds|refuted|undecided)\""
  FAIL_REGULAR_EXPRESSION "\"verdict\": \"fails\"")
