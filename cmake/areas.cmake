# The areas of src/ as libraries. Each area is one static library,
# distill_<area>, built from every src/<area>/**/*.cpp (globbed with
# CONFIGURE_DEPENDS, so a file added to an area is picked up by the next
# build), and it declares the areas and third-party libraries it uses.
#
# The declaration is enforced: distill_layering_<area> links the whole of
# the area's library (every object, used or not) against only what it
# declares, so a call into an undeclared area is an undefined symbol and
# fails the build. (Dependencies are transitive: an area may use what the
# areas it declares use, never anything above itself.)
#
# With DISTILL_FUZZ, every area but cli is compiled with libFuzzer's
# coverage instrumentation, and fuzz/ links the same libraries as distill and
# the tests. (A second, instrumented copy of every area used to be built for
# fuzz/ alone; it was a third of CI's compile time, while the coverage
# callbacks cost the tests little: their CPU goes to zlib, liblzma and
# OpenSSL, which are not instrumented.)

set(DISTILL_LAYERING_MAIN ${CMAKE_CURRENT_LIST_DIR}/layering_main.cpp)

# distill_area(NAME [AREAS area...] [LIBS target...] [EXCLUDE file...]
#              [SOURCES extra.cpp...] [NO_FUZZ] [COLD])
# AREAS names areas declared before this one; one without sources (no
# library) is skipped. EXCLUDE lists files of the area, relative to
# src/<area>, that belong to no library (main.cpp). COLD: the area gets
# DISTILL_COLD_FLAGS (it does little work per run).
function(distill_area name)
  cmake_parse_arguments(A "NO_FUZZ;COLD" "" "AREAS;LIBS;EXCLUDE;SOURCES" ${ARGN})
  set(dir ${CMAKE_SOURCE_DIR}/src/${name})
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${dir}/*.cpp)
  foreach(file ${A_EXCLUDE})
    list(REMOVE_ITEM sources ${dir}/${file})
  endforeach()
  if(NOT sources)
    return()
  endif()
  set(areas "")
  foreach(area ${A_AREAS})
    if(TARGET distill_${area})
      list(APPEND areas ${area})
    endif()
  endforeach()

  add_library(distill_${name} STATIC ${sources} ${A_SOURCES})
  target_include_directories(distill_${name} PUBLIC ${CMAKE_SOURCE_DIR}/src)
  list(TRANSFORM areas PREPEND distill_ OUTPUT_VARIABLE area_targets)
  target_link_libraries(distill_${name} PUBLIC ${area_targets} ${A_LIBS})

  add_executable(distill_layering_${name} ${DISTILL_LAYERING_MAIN})
  target_link_libraries(distill_layering_${name} PRIVATE
    "$<LINK_LIBRARY:WHOLE_ARCHIVE,distill_${name}>")
  add_dependencies(distill_layering distill_layering_${name})

  if(A_COLD)
    target_compile_options(distill_${name} PRIVATE ${DISTILL_COLD_FLAGS_LIST})
  endif()
  if(DISTILL_FUZZ AND NOT A_NO_FUZZ)
    target_compile_options(distill_${name} PRIVATE -fsanitize=fuzzer-no-link)
  endif()
endfunction()

# The table, lowest layer first. A new area is a directory and a line here.
function(distill_areas)
  add_custom_target(distill_layering ALL)
  distill_area(util LIBS PkgConfig::LIBARCHIVE OpenSSL::Crypto Threads::Threads)
  distill_area(archive AREAS util
    LIBS PkgConfig::LIBARCHIVE PkgConfig::ZSTD ZLIB::ZLIB LibDeflate::LibDeflate PkgConfig::LZMA
    Threads::Threads)
  distill_area(oci AREAS archive util LIBS nlohmann_json::nlohmann_json)
  distill_area(net AREAS util LIBS CURL::libcurl Threads::Threads)
  distill_area(debian AREAS archive net util
    LIBS PkgConfig::LIBARCHIVE nlohmann_json::nlohmann_json)
  distill_area(elf AREAS util)
  distill_area(registry AREAS net oci util
    LIBS nlohmann_json::nlohmann_json yaml-cpp)
  distill_area(transport AREAS registry oci archive net util
    LIBS nlohmann_json::nlohmann_json)
  distill_area(image AREAS transport archive debian elf net oci util
    LIBS nlohmann_json::nlohmann_json yaml-cpp OpenSSL::Crypto)
  distill_area(inspect AREAS transport archive debian elf oci registry util
    LIBS nlohmann_json::nlohmann_json OpenSSL::Crypto
    SOURCES ${DISTILL_REPORT_CPP})
  distill_area(sbom AREAS inspect transport archive debian oci registry util
    LIBS nlohmann_json::nlohmann_json OpenSSL::Crypto)
  distill_area(app AREAS image inspect transport archive debian elf net oci util
    LIBS PkgConfig::LIBARCHIVE nlohmann_json::nlohmann_json yaml-cpp)
  distill_area(cli AREAS app transport archive debian image inspect sbom oci registry util
    LIBS nlohmann_json::nlohmann_json CLI11::CLI11
    EXCLUDE main.cpp sanitizer_options.cpp
    NO_FUZZ COLD)
endfunction()
