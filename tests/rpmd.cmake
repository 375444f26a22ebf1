# Tests of the RPMD layer beyond the unit tests (included from tests/CMakeLists.txt).

# Malformed input for `rmdp rpmd` and RPMD counterexample files.
add_test(NAME rpmd_malformed_input
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/malformed/run_malformed.py $<TARGET_FILE:rmdp>
          --cases ${CMAKE_CURRENT_SOURCE_DIR}/malformed/rpmd_cases.txt)
set_tests_properties(rpmd_malformed_input PROPERTIES TIMEOUT 300)

# Exact Euclidean RPMD steps of `rmdp rpmd --json` against independent references (support-enumeration
# projection, vertex-enumeration robust evaluation), plus a gnuplot PNG/SVG smoke test.
add_test(NAME rpmd_differential
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/differential/run_rpmd_differential.py $<TARGET_FILE:rmdp>
          --count 60)
set_tests_properties(rpmd_differential PROPERTIES TIMEOUT 600)
add_test(NAME differential_projection_reference
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/differential/projection_reference.py)
set_tests_properties(differential_projection_reference PROPERTIES TIMEOUT 120)

# Extreme but valid step sizes are not errors: an exact --eta 1e-4000 runs (its decimal does not fit a
# double; the table shows ~0), and a double KL run with eta 1e30 saturates to a vertex.
add_test(NAME rpmd_tiny_eta COMMAND $<TARGET_FILE:rmdp> rpmd ${CMAKE_CURRENT_SOURCE_DIR}/malformed/rpmd-good.mdp.json
         --eta 1e-4000 --steps 2)
add_test(NAME rpmd_huge_eta_double COMMAND $<TARGET_FILE:rmdp> rpmd ${CMAKE_CURRENT_SOURCE_DIR}/malformed/rpmd-good.mdp.json
         --bregman kl --arith double --eta 1e30 --steps 3)
set_tests_properties(rpmd_tiny_eta rpmd_huge_eta_double PROPERTIES TIMEOUT 60)
