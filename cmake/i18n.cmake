# The lab's translations (core/util/i18n.h): every assets/po/LANG.po is compiled with msgfmt into
# LANG.mo, a pseudo-locale "qps" (every message wrapped and accented, for finding strings that
# are not translatable) is generated from assets/po/topolab.pot, and all of them are embedded in
# the desktop app and the tests (locale_data.cpp defines topo::ui::load_languages()); the web
# module reads them from the page's download instead (locale_files.cpp). The web site also gets the .mo
# files under locale/, for the page's own HTML (web/js/i18n.js reads the same catalogues).
find_program(TOPOLAB_MSGFMT msgfmt)
if(NOT TOPOLAB_MSGFMT)
  message(FATAL_ERROR "msgfmt not found: run scripts/setup (installs Debian's gettext).")
endif()
find_package(Python3 REQUIRED COMPONENTS Interpreter)

set(TOPOLAB_LOCALE_DIR ${CMAKE_BINARY_DIR}/locale)
file(GLOB TOPOLAB_PO_FILES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/assets/po/*.po)
set(TOPOLAB_POT ${CMAKE_SOURCE_DIR}/assets/po/topolab.pot)
set(TOPOLAB_MO_FILES "")
set(TOPOLAB_MO_SPECS "")
foreach(po ${TOPOLAB_PO_FILES})
  get_filename_component(lang ${po} NAME_WE)
  add_custom_command(OUTPUT ${TOPOLAB_LOCALE_DIR}/${lang}.mo
    COMMAND ${CMAKE_COMMAND} -E make_directory ${TOPOLAB_LOCALE_DIR}
    COMMAND ${TOPOLAB_MSGFMT} --check -o ${TOPOLAB_LOCALE_DIR}/${lang}.mo ${po}
    DEPENDS ${po} COMMENT "msgfmt ${lang}.po")
  list(APPEND TOPOLAB_MO_FILES ${TOPOLAB_LOCALE_DIR}/${lang}.mo)
  list(APPEND TOPOLAB_MO_SPECS "${lang}^${po}^${TOPOLAB_LOCALE_DIR}/${lang}.mo")
endforeach()
add_custom_command(OUTPUT ${TOPOLAB_LOCALE_DIR}/qps.po ${TOPOLAB_LOCALE_DIR}/qps.mo
  COMMAND ${CMAKE_COMMAND} -E make_directory ${TOPOLAB_LOCALE_DIR}
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/scripts/i18n-pseudo.py ${TOPOLAB_POT} ${TOPOLAB_LOCALE_DIR}/qps.po
  COMMAND ${TOPOLAB_MSGFMT} --check -o ${TOPOLAB_LOCALE_DIR}/qps.mo ${TOPOLAB_LOCALE_DIR}/qps.po
  DEPENDS ${TOPOLAB_POT} ${CMAKE_SOURCE_DIR}/scripts/i18n-pseudo.py COMMENT "pseudo-locale qps")
list(APPEND TOPOLAB_MO_FILES ${TOPOLAB_LOCALE_DIR}/qps.mo)
list(APPEND TOPOLAB_MO_SPECS "qps^${TOPOLAB_LOCALE_DIR}/qps.po^${TOPOLAB_LOCALE_DIR}/qps.mo")
string(REPLACE ";" "," TOPOLAB_MO_SPECS_ARG "${TOPOLAB_MO_SPECS}")
add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/locale_data.cpp ${TOPOLAB_LOCALE_DIR}/languages.json
  COMMAND ${CMAKE_COMMAND} "-DSPECS=${TOPOLAB_MO_SPECS_ARG}" -DOUTPUT=${CMAKE_BINARY_DIR}/locale_data.cpp
          -DJSON_OUTPUT=${TOPOLAB_LOCALE_DIR}/languages.json -DLESSONS_DIR=${CMAKE_SOURCE_DIR}/lessons
          -P ${CMAKE_SOURCE_DIR}/cmake/embed_locales.cmake
  DEPENDS ${TOPOLAB_MO_FILES} ${CMAKE_SOURCE_DIR}/cmake/embed_locales.cmake ${CMAKE_SOURCE_DIR}/lessons)
# The same languages, each read from /locale/LANG.mo when chosen (the web module; see
# embed_locales.cmake): topolab_locales embeds them (desktop, tests), topolab_locale_files not.
add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/locale_files.cpp
  COMMAND ${CMAKE_COMMAND} "-DSPECS=${TOPOLAB_MO_SPECS_ARG}" -DOUTPUT=${CMAKE_BINARY_DIR}/locale_files.cpp
          -DFILES_DIR=/locale -P ${CMAKE_SOURCE_DIR}/cmake/embed_locales.cmake
  DEPENDS ${TOPOLAB_MO_FILES} ${CMAKE_SOURCE_DIR}/cmake/embed_locales.cmake)
add_library(topolab_locales STATIC ${CMAKE_BINARY_DIR}/locale_data.cpp)
add_library(topolab_locale_files STATIC ${CMAKE_BINARY_DIR}/locale_files.cpp)
foreach(t topolab_locales topolab_locale_files)
  target_link_libraries(${t} PUBLIC topolab_core)
  target_include_directories(${t} PRIVATE ${CMAKE_SOURCE_DIR}/core)
endforeach()
