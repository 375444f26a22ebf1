# pytest tests of the Python module (tests/python/), one ctest entry per file so that ctest -j runs
# them in parallel. They import the module from the build tree (PYTHONPATH set here), never from an
# installed copy, and compare with the `rmdp` binary of the same build (RMDP_CLI).
# pytest exits 5 when it collects no test: a nonzero status, so ctest reports it as a failure
# rather than a vacuous pass.
if(RMDP_BUILD_PYTHON AND TARGET _rmdp)
  # pytest, numpy and Hypothesis come from Debian and only Debian's interpreter sees them; a build
  # directory configured earlier may hold another interpreter (e.g. pyenv's) in Python3_EXECUTABLE.
  set(rmdp_pytest_python ${Python3_EXECUTABLE})
  execute_process(COMMAND ${rmdp_pytest_python} -c "import pytest, numpy, hypothesis"
                  RESULT_VARIABLE rmdp_py_rc OUTPUT_QUIET ERROR_QUIET)
  if(NOT rmdp_py_rc EQUAL 0 AND EXISTS /usr/bin/python3)
    message(STATUS "Python tests: ${Python3_EXECUTABLE} lacks pytest/numpy/hypothesis; using /usr/bin/python3")
    set(rmdp_pytest_python /usr/bin/python3)
  endif()
  set(rmdp_python_env
    "PYTHONPATH=${CMAKE_BINARY_DIR}/python:${PROJECT_SOURCE_DIR}/python"
    "RMDP_CLI=$<TARGET_FILE:rmdp>"
    "RMDP_SOURCE_DIR=${PROJECT_SOURCE_DIR}"
    "PYTHONDONTWRITEBYTECODE=1")
  file(GLOB rmdp_python_tests RELATIVE ${CMAKE_CURRENT_SOURCE_DIR}/python ${CMAKE_CURRENT_SOURCE_DIR}/python/test_*.py)
  foreach(t ${rmdp_python_tests})
    get_filename_component(name ${t} NAME_WE)
    add_test(NAME python:${name}
      COMMAND ${rmdp_pytest_python} -m pytest -q -p no:cacheprovider ${CMAKE_CURRENT_SOURCE_DIR}/python/${t}
      WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
    set_tests_properties(python:${name} PROPERTIES ENVIRONMENT "${rmdp_python_env}" TIMEOUT 300)
  endforeach()
endif()
