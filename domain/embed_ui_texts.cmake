# Writes a C++ file holding every catalog file as (language code, JSON text). A file is named <lang>.json or
# <feature>.<lang>.json: each feature keeps its texts in files of its own.
set(body "#include \"domain/ui_texts.hpp\"\n\nnamespace lastcall::domain {\n\n")
string(APPEND body "const std::vector<std::pair<std::string, std::string>>& embedded_ui_texts() {\n")
string(APPEND body "  static const std::vector<std::pair<std::string, std::string>> all = {\n")
string(REPLACE "|" ";" FILES "${FILES}")
foreach(file IN LISTS FILES)
  get_filename_component(code ${file} NAME_WLE)
  string(REGEX REPLACE "^.*\\." "" code "${code}")
  file(READ ${file} json)
  string(APPEND body "    {\"${code}\", R\"lastcall_json(${json})lastcall_json\"},\n")
endforeach()
string(APPEND body "  };\n  return all;\n}\n\n}  // namespace lastcall::domain\n")
file(WRITE ${OUTPUT} "${body}")
