# Interval campaigns through the robust layer (tests/interval.py): the same verdicts as exact on the
# robust, gradient and Euclidean-RPMD claims, the filtered-decision counters, the exact fallback on
# ties, and `not supported in interval` where a check has no interval version.
foreach(case agree fallback unsupported)
  add_test(NAME interval_${case}
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/interval.py $<TARGET_FILE:rmdp> ${case})
  set_tests_properties(interval_${case} PROPERTIES TIMEOUT 300)
endforeach()
