# ctest `citation_version` (cmake -P): CITATION.cff's version is project()'s.
file(STRINGS ${FILE} lines REGEX "^version:")
if(NOT lines STREQUAL "version: ${VERSION}" AND NOT lines STREQUAL "version: \"${VERSION}\"")
  message(FATAL_ERROR "${FILE}: '${lines}', but CMakeLists.txt's project() says ${VERSION}")
endif()
