# ctest entries of the campaign commands (included from tests/CMakeLists.txt): -j and shard/merge
# identities, check --instance on hand-written files, claims --schema, top-level behaviour, flag
# validation, the reported MPFR precision, Ctrl-C during a streamed table, and the Slurm array
# script run without Slurm (tests/campaign.py).
foreach(case jobs_identity shard_merge instance schema toplevel bad_flags precision interrupt sbatch)
  add_test(NAME campaign_${case}
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/campaign.py $<TARGET_FILE:rmdp> ${case})
  set_tests_properties(campaign_${case} PROPERTIES TIMEOUT 300)
endforeach()
