# The reproducers of issue 14 (tests/reliability.py, docs/reliability.md): bad or hostile input
# exits 2 with a message naming file and field, `verify` of a tampered file exits 1, a time limit
# exits 5 -- never a signal, an internal error or a hang. One ctest entry per case.
foreach(case verify_extra_without_mdp verify_deep_nesting number_overflows_double verify_format_not_string
             gamma_rounds_to_one counterexample_dir_unusable rpmd_euclid_huge_eta rpmd_kl_gamma_near_one
             duplicate_keys literal_2_63 write_failures verify_tampered_violation devices_and_fifos
             size_and_depth_limits time_limit sparse_kernel
             instance_with_campaign_options)
  add_test(NAME reliability_${case}
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/reliability.py $<TARGET_FILE:rmdp> ${case})
  set_tests_properties(reliability_${case} PROPERTIES TIMEOUT 240)
endforeach()
