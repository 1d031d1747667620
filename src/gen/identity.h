// Synthetic identities in valid formats: people (names, 18-digit resident ID numbers with
// their check digit, mobile numbers, addresses with their division codes), enterprise
// codes (10-character customs codes, 18-character USCC with both check characters) and
// transport numbers (UPU S10 parcel numbers, air waybills with the mod-7 check digit).
//
// None of these numbers belongs to a real person or enterprise by design: the values are
// drawn from the generator's PRNG. Thread safety: functions only.
#ifndef SHUMAO_GEN_IDENTITY_H_
#define SHUMAO_GEN_IDENTITY_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "gen/rng.h"

namespace shumao::gen {

struct Person {
  std::string name;
  std::string id_number;  // 18-digit resident ID number
  std::string phone;      // 11-digit mobile number
};

struct Address {
  std::string district;  // 6-digit administrative division code
  std::string text;      // full address, province to room
};

// A platform customer: the person, a relative who sometimes receives or pays, and two
// addresses (home and work).
struct Buyer {
  std::string reg_no;  // account on the platform
  Person self, relative;
  Address home, work;
};

// The buyer with this index under this seed (pure function: the same index always gives
// the same person).
Buyer MakeBuyer(uint64_t seed, uint64_t index);

Person MakePerson(Rng& rng);
Address MakeAddress(Rng& rng);
std::string MakeMobile(Rng& rng);

// 18-digit resident ID number: region, birth date, sequence (odd = male), check character.
std::string ResidentId(std::string_view region6, int year, int month, int day, int seq3);
// Whether `id` has 18 characters and a correct check character.
bool ResidentIdValid(std::string_view id);

// 10-character customs registration code: 4-digit region, zone and kind digits, 4 letters
// or digits.
std::string CustomsCode(Rng& rng, std::string_view region4);
// 18-character unified social credit code with the organisation-code and final check
// characters (GB 11714, GB 32100).
std::string Uscc(Rng& rng, std::string_view region6);

// UPU S10 item number such as "EA123456785CN" (8-digit serial, check digit).
std::string S10(std::string_view service, uint32_t serial8);
// Air waybill "784-12345675": airline prefix, 7-digit serial, serial mod 7.
std::string AirWaybill(std::string_view airline3, uint32_t serial7);
// A Jiangsu lorry plate, e.g. "苏A3F7K2".
std::string LorryPlate(Rng& rng);

// Zero-padded decimal of `v` with `width` digits (v is reduced modulo 10^width).
std::string Digits(uint64_t v, int width);
// A bijection of [0, 10^8) for document serials: distinct inputs give distinct outputs that
// do not look sequential.
uint32_t Scramble8(uint64_t index, uint64_t salt);

}  // namespace shumao::gen

#endif  // SHUMAO_GEN_IDENTITY_H_
