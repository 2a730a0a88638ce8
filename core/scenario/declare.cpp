#include "scenario/declare.h"

namespace topo {

std::vector<ValueDecl> value_decl_table(std::initializer_list<ValueDeclRow> rows) {
  std::vector<ValueDecl> out;
  out.reserve(rows.size());
  for (const ValueDeclRow& r : rows) {
    ValueDecl d;
    d.pattern = r.pattern;
    d.type = r.type;
    d.unit = r.unit;
    d.help = r.help;
    d.enum_names.assign(r.enum_names.begin(), r.enum_names.end());
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace topo
