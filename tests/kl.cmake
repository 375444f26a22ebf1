# KL balls (sets/kl.hpp): the command line (tests/kl_cli.py) and the differential test against the
# independent decimal reference (tests/differential/run_kl_differential.py, kl_reference.py).
foreach(case exact_refused solve_double_mpfr_agree evaluate_interval_contains check_double_campaign verify_kl verify_kl_real
             interval_campaign)
  add_test(NAME kl_${case}
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/kl_cli.py $<TARGET_FILE:rmdp> ${case})
  set_tests_properties(kl_${case} PROPERTIES TIMEOUT 300)
endforeach()
add_test(NAME kl_differential
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/differential/run_kl_differential.py $<TARGET_FILE:rmdp>
          --count 25 --seed 1)
set_tests_properties(kl_differential PROPERTIES TIMEOUT 600)
add_test(NAME differential_kl_reference
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/differential/kl_reference.py)
set_tests_properties(differential_kl_reference PROPERTIES TIMEOUT 120)
