# Certificates checked by Coq (docs/formal.md, formal/, tests/formal/run_formal.py).
# `formal_build` compiles formal/ first (and checks that its theorems use no axiom); the other
# cases need it (FIXTURES). Without coqc they are skipped (exit 77), under CI=true they fail.
add_test(NAME formal_build
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/formal/run_formal.py $<TARGET_FILE:rmdp> build)
set_tests_properties(formal_build PROPERTIES FIXTURES_SETUP formal TIMEOUT 300 SKIP_RETURN_CODE 77)
foreach(case accept_evaluation_l1 accept_evaluation_gamma999 accept_optimal_l1 accept_optimal_interval
             accept_optimal_finite accept_optimal_none
             accept_refutation_resolvent_norm_b accept_refutation_occupancy_difference
             accept_refutation_occupancy_lipschitz_b
             tamper_number tamper_worst_case tamper_not_greedy tamper_negative_lambda tamper_resolvent)
  add_test(NAME formal_${case}
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/formal/run_formal.py $<TARGET_FILE:rmdp> ${case})
  set_tests_properties(formal_${case} PROPERTIES FIXTURES_REQUIRED formal TIMEOUT 300 SKIP_RETURN_CODE 77)
endforeach()
add_test(NAME formal_bad_input
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/formal/run_formal.py $<TARGET_FILE:rmdp> bad_input)
set_tests_properties(formal_bad_input PROPERTIES TIMEOUT 120)
