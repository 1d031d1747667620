// Renders planned parcels as CEB 2022 XML: the element order of the official XSDs, the
// "ceb:" prefix and layout of the official samples, one business entity per message.
//
// Rendering is a pure function of the plan: the same parcel always gives the same bytes
// (duplicate_message faults rely on it). Thread safety: functions only; many threads may
// render from one plan at once.
#ifndef SHUMAO_GEN_CEB_RENDER_H_
#define SHUMAO_GEN_CEB_RENDER_H_

#include <cstdint>
#include <string>

#include "gen/model.h"

namespace shumao::gen {

struct RenderContext {
  uint64_t seed = 1;
  const PartySet* parties = nullptr;
  const Plan* plan = nullptr;
};

// Each replaces `out` with the message of that kind (a kind the parcel sends).
void RenderImport(const RenderContext& ctx, Msg kind, const ImportParcel& p, std::string& out);
void RenderExport(const RenderContext& ctx, Msg kind, const ExportParcel& p, std::string& out);
void RenderBatch(const RenderContext& ctx, Msg kind, const Batch& b, std::string& out);

// A deterministic upper-case UUID (version 4 layout) for (seed, a, b).
std::string Guid(uint64_t seed, uint64_t a, uint64_t b);

// The business key naming a message's file: orderNo, payTransactionId/payNo, logisticsNo
// or copNo.
const std::string& ImportKey(Msg kind, const ImportParcel& p);
const std::string& ExportKey(Msg kind, const ExportParcel& p);

// The references by which a bonded (1210) CEB621 draws on the zone's stock: the ledger
// (账册, emsNo) of the zone warehouse and an article's record in it (itemRecordNo). The
// rest of what a bonded list line says about its article comes straight from the plan:
// areaCode is PartySet::warehouse->code; itemNo, gname and unit are the Goods' item_no,
// name and unit of Line::goods; gcode is the hs of Line::declared. stock.json (stock.h)
// reads the same sources, so the two always agree.
std::string BondedEmsNo(const PartySet& parties);
std::string ItemRecordNo(const Goods& goods);

}  // namespace shumao::gen

#endif  // SHUMAO_GEN_CEB_RENDER_H_
