// Strict mode: validation of a CEB XML message against the official 2022 XSDs
// (libxml2). The schema folder is given at run time (`shumao serve --schemas DIR`; the
// tests use ../shared/ceb/xsd); it must hold ceb-import-2022.xsd and
// ceb-export-2022.xsd with xmldsig-core-schema.xsd beside them.
//
// Thread safety: Validate may be called from many threads at once (each call has its
// own libxml2 validation context over the shared, read-only compiled schemas).
#ifndef SHUMAO_CEB_XSD_VALIDATOR_H_
#define SHUMAO_CEB_XSD_VALIDATOR_H_

#include <memory>
#include <string>
#include <string_view>

#include "ceb/schema.h"
#include "common/status.h"

namespace shumao::ceb {

class XsdValidator {
 public:
  virtual ~XsdValidator() = default;
  static StatusOr<std::unique_ptr<XsdValidator>> Load(const std::string& schema_dir);
  // OK, or InvalidArgument with libxml2's first messages (line numbers included) and the
  // element named in field() when libxml2 names one.
  virtual Status Validate(std::string_view xml, Direction direction) const = 0;
};

}  // namespace shumao::ceb

#endif  // SHUMAO_CEB_XSD_VALIDATOR_H_
