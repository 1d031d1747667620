// Risk control's records in module state, as compact delimited text (one field separator
// \x1f, one record separator \n): the histories the windowed rules read, the counters the
// lanes and the credit score read.
#ifndef SHUMAO_RISK_RECORDS_H_
#define SHUMAO_RISK_RECORDS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/decimal.h"

namespace shumao::risk {

inline constexpr char kField = '\x1f';

// Splits `s` on `sep` (an empty string gives no parts).
std::vector<std::string> SplitOn(std::string_view s, char sep);

// One list in a buyer's, phone's or address's recent history.
struct Seen {
  int64_t ms = 0;      // the list's declaration
  std::string key;     // copNo|agentCode
  std::string ebc;     // ebcCode
  Decimal value;       // the quota amount (stored as Decimal units)
  std::string who;     // buyer: the consignee hash; phone and address: the buyer hash
  std::string phone;   // buyer history: the consignee phone hash
  std::string addr;    // buyer history: the address hash
  uint32_t flags = 0;  // rules already reported for this list (bits of RuleBit)
};

enum RuleBit : uint32_t { kSplitBit = 1, kIdentityBit = 2, kPhoneBit = 4, kAddressBit = 8 };

std::string EncodeSeen(const std::vector<Seen>& v);
std::vector<Seen> DecodeSeen(std::string_view s);

// An enterprise's behaviour counters: totals and the lists and returns of recent months.
struct EnterpriseStats {
  int64_t lists = 0, refused = 0, hits = 0, confirmed = 0, returns = 0, late_tax = 0,
          complaints = 0;
  struct Month {
    std::string month;  // YYYY-MM
    int64_t lists = 0, returns = 0;
  };
  std::vector<Month> months;  // newest last, at most kMonths

  static constexpr size_t kMonths = 4;
  Month& At(const std::string& month);  // adds the month (dropping the oldest) if new
};

std::string EncodeStats(const EnterpriseStats& s);
EnterpriseStats DecodeStats(std::string_view s);

}  // namespace shumao::risk

#endif  // SHUMAO_RISK_RECORDS_H_
