# ctest `package_consumer` (cmake -P): install the build tree into a scratch prefix, check that the
# installed CMake files do not point back into the source or build tree (no PCH, no build paths),
# then configure, build and run examples/consumer against the prefix alone: the property must hold,
# and its deliberately wrong variant must fail.
foreach(v BUILD_DIR SOURCE_DIR WORK_DIR CXX)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "consumer_test.cmake: -D${v}=... missing")
  endif()
endforeach()
function(run)
  execute_process(COMMAND ${ARGV} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGV}\n${out}\n${err}")
  endif()
  message(STATUS "ok: ${ARGV}")
endfunction()

file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)
run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})

file(GLOB_RECURSE cmake_files ${prefix}/*.cmake)
if(NOT cmake_files)
  message(FATAL_ERROR "no CMake package files installed under ${prefix}")
endif()
foreach(f ${cmake_files})
  file(READ ${f} text)
  foreach(bad ${SOURCE_DIR} ${BUILD_DIR} cmake_pch)
    string(FIND "${text}" "${bad}" at)
    if(NOT at EQUAL -1)
      message(FATAL_ERROR "${f} mentions ${bad}: the installed interface leaks the build")
    endif()
  endforeach()
endforeach()
foreach(f include/rmdp/csv.hpp include/rmdp/testing.hpp include/rmdp/checks/registry.hpp bin/rmdp)
  if(NOT EXISTS ${prefix}/${f})
    message(FATAL_ERROR "${prefix}/${f} was not installed")
  endif()
endforeach()
run(${prefix}/bin/rmdp claims --json)

# CMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY: only the prefix can provide rmdp.
run(${CMAKE_COMMAND} -S ${SOURCE_DIR}/examples/consumer -B ${WORK_DIR}/build -DCMAKE_BUILD_TYPE=Release
    -DCMAKE_CXX_COMPILER=${CXX} -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)
run(${CMAKE_COMMAND} --build ${WORK_DIR}/build)
run(${CMAKE_COMMAND} -E env "RC_PARAMS=seed=20241130 max_success=200" ${WORK_DIR}/build/consumer)
execute_process(COMMAND ${CMAKE_COMMAND} -E env "RC_PARAMS=seed=20241130 max_success=200" ${WORK_DIR}/build/consumer --wrong
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(rc EQUAL 0)
  message(FATAL_ERROR "consumer --wrong passed: the property cannot fail, so it checks nothing\n${out}")
endif()
message(STATUS "ok: consumer --wrong fails as it must")
file(REMOVE_RECURSE ${WORK_DIR})
