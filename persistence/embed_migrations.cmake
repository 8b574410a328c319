# Writes a C++ file holding every migration as (version, name, sql); the version is the file name's number.
set(body "#include \"persistence/migrations.hpp\"\n\nnamespace lastcall::persistence {\n\n")
string(APPEND body "const std::vector<migration>& embedded_migrations() {\n  static const std::vector<migration> all = {\n")
string(REPLACE "|" ";" FILES "${FILES}")
foreach(file IN LISTS FILES)
  get_filename_component(name ${file} NAME_WE)
  string(REGEX MATCH "^[0-9]+" version ${name})
  # A C++ literal with leading zeros is octal: 010 would be version 8.
  string(REGEX REPLACE "^0+([0-9])" "\\1" version "${version}")
  file(READ ${file} sql)
  string(APPEND body "    {${version}, \"${name}\", R\"lastcall_sql(${sql})lastcall_sql\"},\n")
endforeach()
string(APPEND body "  };\n  return all;\n}\n\n}  // namespace lastcall::persistence\n")
file(WRITE ${OUTPUT} "${body}")
