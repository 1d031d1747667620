#include "ceb/xsd_validator.h"

#include <libxml/parser.h>
#include <libxml/xmlschemas.h>

#include <mutex>

namespace shumao::ceb {
namespace {

struct Errors {
  std::string text;
  std::string field;
  int count = 0;
};

void CollectError(void* ctx, xmlErrorPtr err) {
  auto* e = static_cast<Errors*>(ctx);
  if (err == nullptr || ++e->count > 5) return;
  std::string msg = err->message ? err->message : "schema error";
  while (!msg.empty() && msg.back() == '\n') msg.pop_back();
  if (!e->text.empty()) e->text += "; ";
  e->text += "line " + std::to_string(err->line) + ": " + msg;
  if (e->field.empty() && err->node != nullptr) {
    auto* node = static_cast<xmlNodePtr>(err->node);
    if (node->name) e->field = reinterpret_cast<const char*>(node->name);
  }
}

class LibXmlValidator : public XsdValidator {
 public:
  ~LibXmlValidator() override {
    if (import_) xmlSchemaFree(import_);
    if (export_) xmlSchemaFree(export_);
  }

  static StatusOr<xmlSchemaPtr> Compile(const std::string& path) {
    Errors errors;
    xmlSchemaParserCtxtPtr pc = xmlSchemaNewParserCtxt(path.c_str());
    if (pc == nullptr) return Status(Code::kFailedPrecondition, "cannot read schema " + path);
    xmlSchemaSetParserStructuredErrors(pc, CollectError, &errors);
    xmlSchemaPtr s = xmlSchemaParse(pc);
    xmlSchemaFreeParserCtxt(pc);
    if (s == nullptr) {
      return Status(Code::kFailedPrecondition,
                    "cannot compile schema " + path + ": " + errors.text);
    }
    return s;
  }

  Status Validate(std::string_view xml, Direction direction) const override {
    xmlDocPtr doc = xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "message.xml", "UTF-8",
                                  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (doc == nullptr) return InvalidArgument("malformed XML (libxml2 could not parse it)");
    Errors errors;
    xmlSchemaValidCtxtPtr vc =
        xmlSchemaNewValidCtxt(direction == Direction::kImport ? import_ : export_);
    xmlSchemaSetValidStructuredErrors(vc, CollectError, &errors);
    int rc = xmlSchemaValidateDoc(vc, doc);
    xmlSchemaFreeValidCtxt(vc);
    xmlFreeDoc(doc);
    if (rc == 0) return Status::Ok();
    return InvalidArgument("the message does not validate against the official XSD: " +
                               (errors.text.empty() ? std::string("unknown error") : errors.text),
                           errors.field);
  }

  xmlSchemaPtr import_ = nullptr;
  xmlSchemaPtr export_ = nullptr;
};

}  // namespace

StatusOr<std::unique_ptr<XsdValidator>> XsdValidator::Load(const std::string& dir) {
  static std::once_flag init;
  std::call_once(init, [] { xmlInitParser(); });
  auto v = std::make_unique<LibXmlValidator>();
  ASSIGN_OR_RETURN(v->import_, LibXmlValidator::Compile(dir + "/ceb-import-2022.xsd"));
  ASSIGN_OR_RETURN(v->export_, LibXmlValidator::Compile(dir + "/ceb-export-2022.xsd"));
  return std::unique_ptr<XsdValidator>(std::move(v));
}

}  // namespace shumao::ceb
