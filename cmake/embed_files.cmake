# embed_files(OUTPUT <cpp> SCRIPT <script.cmake> COMMENT <text> FILES <file>...)
# Generates <cpp> at build time by running <script.cmake> over FILES (sorted, so the output does not depend on
# the order the file system lists them in); the script receives OUTPUT and FILES, the files separated by "|".
function(embed_files)
  cmake_parse_arguments(EMBED "" "OUTPUT;SCRIPT;COMMENT" "FILES" ${ARGN})
  set(files ${EMBED_FILES})
  list(SORT files)
  # A CMake list would split into separate arguments on the command line.
  string(REPLACE ";" "|" files_arg "${files}")
  add_custom_command(
    OUTPUT ${EMBED_OUTPUT}
    COMMAND ${CMAKE_COMMAND} -DOUTPUT=${EMBED_OUTPUT} "-DFILES=${files_arg}" -P ${EMBED_SCRIPT}
    DEPENDS ${files} ${EMBED_SCRIPT}
    COMMENT "${EMBED_COMMENT}"
    VERBATIM)
endfunction()
