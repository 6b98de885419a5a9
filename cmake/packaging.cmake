# What `cmake --install` puts on a machine, and the .deb that CPack makes of it (cpack -G DEB, or
# the `package` target): the binary, the man page, shell completions generated from the command
# line's definition, the JSON schemas of the output and a sample dump.

include(GNUInstallDirs)

# Completions: the built binary prints them from its CLI11 definition (cli/completions.cpp), so
# they cannot fall behind the options. Regenerated whenever the binary changes.
set(DLA_COMPLETIONS_DIR ${CMAKE_BINARY_DIR}/completions)
set(dla_completion_files
    ${DLA_COMPLETIONS_DIR}/dlanalyze.bash ${DLA_COMPLETIONS_DIR}/_dlanalyze
    ${DLA_COMPLETIONS_DIR}/dlanalyze.fish)
add_custom_command(
  OUTPUT ${dla_completion_files}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${DLA_COMPLETIONS_DIR}
  COMMAND sh -c "$<TARGET_FILE:dlanalyze> --print-completion bash > ${DLA_COMPLETIONS_DIR}/dlanalyze.bash"
  COMMAND sh -c "$<TARGET_FILE:dlanalyze> --print-completion zsh > ${DLA_COMPLETIONS_DIR}/_dlanalyze"
  COMMAND sh -c "$<TARGET_FILE:dlanalyze> --print-completion fish > ${DLA_COMPLETIONS_DIR}/dlanalyze.fish"
  DEPENDS dlanalyze
  COMMENT "Generating bash, zsh and fish completions from the command line's definition"
  VERBATIM)
add_custom_target(completions ALL DEPENDS ${dla_completion_files})

# Debian installs man pages compressed.
add_custom_command(
  OUTPUT ${CMAKE_BINARY_DIR}/dlanalyze.1.gz
  COMMAND gzip -9nc ${CMAKE_SOURCE_DIR}/man/dlanalyze.1 > ${CMAKE_BINARY_DIR}/dlanalyze.1.gz
  DEPENDS ${CMAKE_SOURCE_DIR}/man/dlanalyze.1)
add_custom_target(man_page ALL DEPENDS ${CMAKE_BINARY_DIR}/dlanalyze.1.gz)

install(TARGETS dlanalyze RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${CMAKE_BINARY_DIR}/dlanalyze.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${DLA_COMPLETIONS_DIR}/dlanalyze.bash
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME dlanalyze)
install(FILES ${DLA_COMPLETIONS_DIR}/_dlanalyze
        DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
install(FILES ${DLA_COMPLETIONS_DIR}/dlanalyze.fish
        DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)
install(FILES schemas/dlanalyze-1.schema.json schemas/dlanalyze-diff-1.schema.json
        DESTINATION ${CMAKE_INSTALL_DATADIR}/dlanalyze/schemas)
# The README's first example, so that an installed dlanalyze can be tried at once.
install(FILES testdata/jvm/monitor_cycle.jstack-l.txt
        DESTINATION ${CMAKE_INSTALL_DATADIR}/dlanalyze/examples)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME dlanalyze)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR dlanalyze)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "post-mortem deadlock analysis of thread dumps and cores")
set(CPACK_PACKAGE_DESCRIPTION
    "dlanalyze reads a JVM thread dump (jstack, jcmd, kill -3, jhsdb), a Go goroutine dump, a\n"
    "gdb/lldb/eu-stack backtrace or an ELF core of a C, C++, Go or Java process and finds the\n"
    "deadlock in it: every cycle of the wait-for graph, the holder of each lock and the evidence\n"
    "for it. It never invents a cycle. Output as text or as JSON (schema dlanalyze/1).")
set(CPACK_PACKAGE_CONTACT "dlanalyze maintainers <dlanalyze@localhost>")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # dlanalyze_0.1.0_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Library dependencies (libdw, re2, fmt, libstdc++, …) as dpkg-shlibdeps finds them.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# gdb runs `dlanalyze gdb-commands`' script; a JDK's jhsdb reads a JVM's core.
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "gdb, default-jdk-headless")
set(CPACK_STRIP_FILES ON)
include(CPack)
