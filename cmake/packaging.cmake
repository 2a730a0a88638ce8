# Release packaging, included once at the end of CMakeLists.txt.
# - Web build: stamps the assembled static site (build.json and the service worker's cache name,
#   cmake/stamp_site.cmake) after every link of `topolab`, so a new build replaces offline caches.
# - Native build: install() rules and CPack for the offline-classroom desktop package, a .deb and
#   a .tar.gz holding the app (bin/topolab), the CLI (bin/topolab-cli), the lessons
#   (share/topolab/lessons: the app finds them relative to its own binary, ../share/topolab/lessons)
#   and a desktop menu entry with its icon (assets/topolab.desktop, assets/icon.svg). Make them
#   with `scripts/package desktop` (or `cpack` in the build).
if(EMSCRIPTEN)
  if(TARGET topolab)
    add_custom_command(TARGET topolab POST_BUILD
      COMMAND ${CMAKE_COMMAND} -DSITE=${CMAKE_BINARY_DIR}/site -DVERSION=${PROJECT_VERSION}
              -P ${CMAKE_SOURCE_DIR}/cmake/stamp_site.cmake
      COMMENT "Stamping the static site with its build (build.json, sw.js cache name)")
  endif()
  return()
endif()

include(GNUInstallDirs)
install(TARGETS topolab-cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
if(TARGET topolab)
  install(TARGETS topolab RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  install(FILES ${TOPOLAB_DESKTOP_ENTRY} DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
  install(FILES ${TOPOLAB_ICON_SVG} DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps
          RENAME topolab.svg)
endif()
install(DIRECTORY ${CMAKE_SOURCE_DIR}/lessons/ DESTINATION ${CMAKE_INSTALL_DATADIR}/topolab/lessons
        PATTERN "*~" EXCLUDE PATTERN ".*" EXCLUDE)
foreach(doc README.md LICENSE docs/classroom.md)
  if(EXISTS ${CMAKE_SOURCE_DIR}/${doc})
    install(FILES ${CMAKE_SOURCE_DIR}/${doc} DESTINATION ${CMAKE_INSTALL_DOCDIR})
  endif()
endforeach()

set(CPACK_PACKAGE_NAME "topolab")
set(CPACK_PACKAGE_VENDOR "Topolab")
set(CPACK_PACKAGE_CONTACT "Topolab maintainers <topolab@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Hands-on lab for distributed systems and microservices (desktop app, CLI, lessons)")
set(CPACK_PACKAGE_DESCRIPTION
  "Topolab simulates machines and services and shows them as animated shapes with messages flying
between them. Learners crash nodes, cut the network, scale and deploy services and watch distributed
systems and microservices react. This package has the desktop app (topolab), the command-line tool
(topolab-cli: check and run lessons headless) and the bundled lessons, for classrooms without internet.")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_GENERATOR "DEB;TGZ")
set(CPACK_PACKAGE_FILE_NAME "topolab-${PROJECT_VERSION}-linux-${CMAKE_SYSTEM_PROCESSOR}")
set(CPACK_STRIP_FILES ON)
set(CPACK_SOURCE_GENERATOR "")
# .deb: Debian's own names; runtime libraries found by dpkg-shlibdeps when it is there.
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION "education")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://topolab.invalid/")
find_program(TOPOLAB_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(TOPOLAB_DPKG_SHLIBDEPS)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
else()
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "libc6, libstdc++6, libsdl2-2.0-0, libgl1, zlib1g")
endif()
include(CPack)
