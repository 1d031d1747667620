// gen: a deterministic generator of realistic cross-border e-commerce traffic, written as
// CEB 2022 XML messages (one message, one business entity, per file).
//
// Used by `shumao gen`, by `make demo` to fill a demo zone with history, and by tests of
// clearance and risk (mistakes and frauds are mixed in on request, with labels).
//
// What Generate writes into options.out_dir:
//   parties.json     [{"code":..,"name":..,"roles":[..]}]: the enterprises to register.
//                    The same set for a given seed whatever the parcel counts.
//   NNNNNNNNN-YYYYMMDDTHHMMSS-CEBnnn-KEY.xml
//                    the messages. NNNNNNNNN is a zero-padded global sequence number, the
//                    time is the Beijing send time, KEY the message's business key
//                    (orderNo, payTransactionId/payNo, logisticsNo, copNo). Sorting the
//                    names sorts the messages into a valid sending order: within a parcel
//                    the order comes first, then payment, waybill, list, later messages.
//   labels.ndjson    one line per faulty parcel: {"fault":..,"direction":"import"|"export",
//                    "orderNo":..,"copNo":..,"logisticsNo":..,"files":[..],"detail":..}.
//                    Empty when faults == 0.
//   stock.json       {"records":[{"warehouse":..,"emsNo":..,"itemRecordNo":..,"itemNo":..,
//                    "gcode":..,"gname":..,"qty":..,"unit":..,"entryNo":..,"time":..}]}: the
//                    bonded-zone inbound records (入区/入库, outside the CEB standard) that
//                    stock the zone warehouse for every bonded (1210) list of the run, one
//                    per warehouse, ledger and article; stock.h says how. "records" is
//                    empty when the run has no bonded imports.
//   manifest.json    the options and the summary.
// Files of an earlier run in out_dir (names of the forms above) are removed first; other
// files are left alone.
//
// Per import parcel (9610 direct purchase by air, 1210 bonded from the zone's warehouse):
// CEB311 order, CEB411 payment, CEB511 waybill, CEB621 list (appType 1, appStatus 2) and,
// for about six parcels in ten, a CEB513 signed-for status some days later. Per export
// parcel (9610 B2C, 9710 B2B with orderType B, 9810 overseas warehouse with orderType W):
// CEB303 order, CEB403 receipts record, CEB505 waybill, CEB603 list; CEB507 arrivals and
// CEB509 departures each cover the parcels of one carrier, site and day.
//
// Every message validates against the official XSDs, the faulty ones included: faults
// are business faults, never format errors. Money is exact (Decimal): acturalPaid ==
// goodsValue + freight + taxTotal - discount == amountPaid for clean parcels. Clean import
// parcels stay within the retail limits (a transaction, goods + freight + tax, <= 5,000;
// a buyer's year <= 20,000; a buyer's day <= 5,000) and a clean buyer uses at most two
// consignees and two addresses, so that no clean parcel looks like one of the faults.
//
// Faults: exactly round(faults x import_parcels) import and round(faults x export_parcels)
// export parcels carry one fault each, the types spread evenly (the PRNG deals them out
// cycle by cycle). Import: payment_amount_mismatch, consignee_mismatch, over_single_limit,
// over_annual_limit, missing_payment, missing_waybill, buyer_payer_mismatch,
// unregistered_ebc, duplicate_message, split_order (2-3 parcels of one buyer on one day,
// each <= 5,000, together > 5,000; every parcel of the group is labelled),
// identity_misuse (4-5 parcels under one ID number, each with another consignee, phone and
// address; all labelled), undervaluation, name_hs_mismatch. Export: b2b_over_5000,
// missing_payment (no CEB403), missing_waybill, unregistered_ebc, duplicate_message,
// name_hs_mismatch, missing_departure. planner.h says how each is made.
//
// Determinism: the same options give byte-identical files on any machine (own integer
// PRNG, no clock, no floating point in the data path). CEB621 (the import XSD requires
// it), CEB603 and CEB509 (the PDF marks it required) carry an SM2-SM3 ds:Signature that is
// structurally valid but a placeholder: digest and value are PRNG bytes, KeyInfo names a
// key only. Real signing comes with the ceb signer.
//
// Thread safety: Generate may run concurrently for different out_dirs.
#ifndef SHUMAO_GEN_GENERATOR_H_
#define SHUMAO_GEN_GENERATOR_H_

#include <cstdint>
#include <map>
#include <string>

#include "common/status.h"

namespace shumao::gen {

struct GenOptions {
  uint64_t seed = 1;
  int64_t import_parcels = 0, export_parcels = 0;
  double faults = 0.0;  // fraction of parcels (0..1) that carry one fault
  // Inclusive Beijing dates YYYY-MM-DD. Fixed defaults, so that output never depends on
  // the day it is generated. One left empty: 30 days from the other; both: the defaults.
  std::string from = "2026-01-01", to = "2026-01-31";
  std::string out_dir;
};

struct GenSummary {
  int64_t files = 0;     // CEB XML files written (duplicates counted twice)
  int64_t messages = 0;  // distinct CEB messages
  int64_t import_parcels = 0, export_parcels = 0;
  int64_t faults = 0;                             // faulty parcels (= lines of labels.ndjson)
  std::map<std::string, int64_t> faults_by_type;  // both directions together
  std::map<std::string, int64_t> files_by_type;   // "CEB311" -> files
};

// Writes the traffic described above. Errors: InvalidArgument for bad options (negative
// counts, faults outside 0..1, unparsable or reversed dates, empty out_dir); Internal when
// out_dir cannot be created or a file cannot be written.
StatusOr<GenSummary> Generate(const GenOptions& options);

}  // namespace shumao::gen

#endif  // SHUMAO_GEN_GENERATOR_H_
