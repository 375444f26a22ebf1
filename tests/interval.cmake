# Interval campaigns through the robust layer (tests/interval.py): the same verdicts as exact on the
# robust, gradient and Euclidean-RPMD claims, the filtered-decision counters, the exact fallback on
# ties, differentiable-everywhere certified by the enclosures (or by the fallback), and
# `not supported in ARITH` where a check has no version in ARITH.
foreach(case agree fallback differentiable unsupported)
  add_test(NAME interval_${case}
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/interval.py $<TARGET_FILE:rmdp> ${case})
  set_tests_properties(interval_${case} PROPERTIES TIMEOUT 300)
endforeach()
