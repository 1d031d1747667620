// Building receipt messages (回执): the synchronous receipt of each declaration type
// (CEB312 for CEB311, ...), and CEB900 for messages that fail format checks. Receipts
// are plain Messages, so they encode to XML or JSON like any other; every receipt built
// here validates against the official XSD (tested in receipt_test.cc).
#ifndef SHUMAO_CEB_RECEIPT_H_
#define SHUMAO_CEB_RECEIPT_H_

#include <string>
#include <utility>
#include <vector>

#include "ceb/message.h"
#include "common/time.h"

namespace shumao::ceb {

struct ReceiptEntry {
  const Node* head = nullptr;  // the declaration's head: business keys are echoed from it
  std::string return_status;   // "2", "120", "-301010", ...
  std::string return_info;
  // Values that are not in the head or that the platform assigned (preNo, invtNo, copNo).
  std::vector<std::pair<std::string, std::string>> values;
};

// A receipt message of `receipt_type` ("CEB312") with one return entity per entry.
Message BuildReceipt(const MessageDef& receipt_def, const std::vector<ReceiptEntry>& entries,
                     Timestamp time);

// CEB900 MessageReturn for a message that could not be accepted as it is.
Message BuildFormatReceipt(std::string_view return_status, std::string_view return_info,
                           std::string_view ori_message_type, std::string_view ori_message,
                           Timestamp time);

}  // namespace shumao::ceb

#endif  // SHUMAO_CEB_RECEIPT_H_
