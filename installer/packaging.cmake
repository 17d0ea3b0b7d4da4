# CPack: a .deb and a .tar.gz of the GUI, the CLI, the sentencepiece shim, the desktop entry
# and the icon. Build them with: cmake --build build --target package
install(FILES ${CMAKE_SOURCE_DIR}/installer/kg-workbench.desktop
        DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES ${CMAKE_SOURCE_DIR}/resources/icons/kg-workbench.svg
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)

set(CPACK_PACKAGE_NAME "kg-workbench")
set(CPACK_PACKAGE_VENDOR "KG Workbench developers")
set(CPACK_PACKAGE_CONTACT "KG Workbench developers <kgwb@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Build, visualise and probe knowledge graphs with models")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_GENERATOR "DEB;TGZ")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION "science")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_PACKAGE_FILE_NAME "kg-workbench-${PROJECT_VERSION}-${CMAKE_SYSTEM_PROCESSOR}")
set(CPACK_STRIP_FILES ON)
include(CPack)
