// Field rules of the CEB standard, checked in C++ on every message after decoding:
// length (in characters), N19,5 decimals (no negatives), integers, times in the CEB
// formats, enumerations (appType, appStatus, orderType, ieFlag, ...) and code tables
// (currency, country, unit, customs district, trade mode, transport mode, HS code).
// The first violation is returned with the element path in Status::field().
//
// Thread safety: pure; the CodeTables are shared read-only.
#ifndef SHUMAO_CEB_CHECK_H_
#define SHUMAO_CEB_CHECK_H_

#include "ceb/message.h"
#include "common/code_tables.h"
#include "common/status.h"

namespace shumao::ceb {

struct CheckOptions {
  const CodeTables* codes = nullptr;  // required
};

Status CheckMessage(const Message& message, const CheckOptions& options);

}  // namespace shumao::ceb

#endif  // SHUMAO_CEB_CHECK_H_
