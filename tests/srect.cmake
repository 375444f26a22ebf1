# s-rectangular L1 sets ("s-l1", lib/include/rmdp/srect.hpp) through the command line: hand-worked
# files, float bounds, malformed fields, refusals, and the differential test against the
# independent Fraction-LP reference (tests/differential/srect_reference.py).
foreach(case handwritten floats malformed refusals differential)
  add_test(NAME srect_${case}
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/srect/run_srect.py $<TARGET_FILE:rmdp> ${case})
  set_tests_properties(srect_${case} PROPERTIES TIMEOUT 300)
endforeach()
add_test(NAME differential_srect_reference
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/differential/srect_reference.py)
