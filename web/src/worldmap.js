// The world map for ECharts (which ships none): Natural Earth 1:50m countries from the
// world-atlas package (TopoJSON), turned into GeoJSON with topojson-client when the
// overview first needs it (a separate chunk). Features are named by their ISO 3166-1
// numeric code; the API's countries carry iso3 (and names), matched here.
//
// Taiwan is drawn as part of China (one merged outline). Antarctica is dropped.
import { echarts } from './charts.js'

// ISO 3166-1 alpha-3 → numeric.
const ISO3_NUMERIC = Object.fromEntries(
  ('AFG004 ALA248 ALB008 DZA012 ASM016 AND020 AGO024 AIA660 ATA010 ATG028 ARG032 ARM051 ABW533 ' +
    'AUS036 AUT040 AZE031 BHS044 BHR048 BGD050 BRB052 BLR112 BEL056 BLZ084 BEN204 BMU060 BTN064 ' +
    'BOL068 BES535 BIH070 BWA072 BVT074 BRA076 IOT086 BRN096 BGR100 BFA854 BDI108 CPV132 KHM116 ' +
    'CMR120 CAN124 CYM136 CAF140 TCD148 CHL152 CHN156 CXR162 CCK166 COL170 COM174 COG178 COD180 ' +
    'COK184 CRI188 CIV384 HRV191 CUB192 CUW531 CYP196 CZE203 DNK208 DJI262 DMA212 DOM214 ECU218 ' +
    'EGY818 SLV222 GNQ226 ERI232 EST233 SWZ748 ETH231 FLK238 FRO234 FJI242 FIN246 FRA250 GUF254 ' +
    'PYF258 ATF260 GAB266 GMB270 GEO268 DEU276 GHA288 GIB292 GRC300 GRL304 GRD308 GLP312 GUM316 ' +
    'GTM320 GGY831 GIN324 GNB624 GUY328 HTI332 HMD334 VAT336 HND340 HKG344 HUN348 ISL352 IND356 ' +
    'IDN360 IRN364 IRQ368 IRL372 IMN833 ISR376 ITA380 JAM388 JPN392 JEY832 JOR400 KAZ398 KEN404 ' +
    'KIR296 PRK408 KOR410 KWT414 KGZ417 LAO418 LVA428 LBN422 LSO426 LBR430 LBY434 LIE438 LTU440 ' +
    'LUX442 MAC446 MDG450 MWI454 MYS458 MDV462 MLI466 MLT470 MHL584 MTQ474 MRT478 MUS480 MYT175 ' +
    'MEX484 FSM583 MDA498 MCO492 MNG496 MNE499 MSR500 MAR504 MOZ508 MMR104 NAM516 NRU520 NPL524 ' +
    'NLD528 NCL540 NZL554 NIC558 NER562 NGA566 NIU570 NFK574 MKD807 MNP580 NOR578 OMN512 PAK586 ' +
    'PLW585 PSE275 PAN591 PNG598 PRY600 PER604 PHL608 PCN612 POL616 PRT620 PRI630 QAT634 REU638 ' +
    'ROU642 RUS643 RWA646 BLM652 SHN654 KNA659 LCA662 MAF663 SPM666 VCT670 WSM882 SMR674 STP678 ' +
    'SAU682 SEN686 SRB688 SYC690 SLE694 SGP702 SXM534 SVK703 SVN705 SLB090 SOM706 ZAF710 SGS239 ' +
    'SSD728 ESP724 LKA144 SDN729 SUR740 SJM744 SWE752 CHE756 SYR760 TWN158 TJK762 TZA834 THA764 ' +
    'TLS626 TGO768 TKL772 TON776 TTO780 TUN788 TUR792 TKM795 TCA796 TUV798 UGA800 UKR804 ARE784 ' +
    'GBR826 USA840 UMI581 URY858 UZB860 VUT548 VEN862 VNM704 VGB092 VIR850 WLF876 ESH732 YEM887 ' +
    'ZMB894 ZWE716')
    .split(/\s+/)
    .map((s) => [s.slice(0, 3), s.slice(3)]),
)

const CHINA = '156'
const TAIWAN = '158'

let loading = null
const atlasNames = {} // feature name (numeric code) → the atlas's English name
const byName = {} // normalised English name → feature name

// Rings that cross the antimeridian (Russia's far east, Fiji) jump from +180 to −180 and
// would be drawn as bands across the map: move their western points east by 360°.
function unwrapRing(ring) {
  let crosses = false
  for (let i = 1; i < ring.length; i++) if (Math.abs(ring[i][0] - ring[i - 1][0]) > 180) crosses = true
  if (!crosses) return ring
  return ring.map(([x, y]) => [x < 0 ? x + 360 : x, y])
}

function unwrap(geometry) {
  if (geometry.type === 'Polygon') return { ...geometry, coordinates: geometry.coordinates.map(unwrapRing) }
  if (geometry.type === 'MultiPolygon') {
    return { ...geometry, coordinates: geometry.coordinates.map((poly) => poly.map(unwrapRing)) }
  }
  return geometry
}

function norm(s) {
  return String(s || '').toLowerCase().replace(/[^a-z]/g, '')
}

export function loadWorldMap() {
  if (!loading) {
    loading = Promise.all([import('world-atlas/countries-50m.json'), import('topojson-client')]).then(
      ([atlasModule, topojson]) => {
        const topo = atlasModule.default || atlasModule
        const geoms = topo.objects.countries.geometries
        const china = geoms.filter((g) => g.id === CHINA || g.id === TAIWAN)
        const features = []
        for (const g of geoms) {
          if (g.id === '010' || g.id === TAIWAN) continue
          const name = g.id ? String(g.id) : `x-${g.properties.name}`
          const geometry = g.id === CHINA ? topojson.merge(topo, china) : topojson.feature(topo, g).geometry
          if (!geometry) continue
          atlasNames[name] = g.properties.name
          byName[norm(g.properties.name)] = name
          features.push({ type: 'Feature', id: name, properties: { name }, geometry: unwrap(geometry) })
        }
        // A few common long forms of the atlas's short names.
        const aliases = {
          unitedstates: '840', unitedstatesofamerica: '840', korearep: '410', republicofkorea: '410',
          russianfederation: '643', vietnam: '704', czechrepublic: '203', hongkongchina: '344',
          macaochina: '446', uk: '826', greatbritain: '826',
        }
        for (const [k, v] of Object.entries(aliases)) byName[k] ??= v
        echarts.registerMap('world', { type: 'FeatureCollection', features })
        return true
      },
    )
  }
  return loading
}

// The map feature for an API country ({iso3, iso2, name_en}), or '' when none matches.
export function featureOf(country) {
  const iso3 = String(country.iso3 || '').toUpperCase()
  if (iso3 === 'TWN') return CHINA
  if (ISO3_NUMERIC[iso3]) return ISO3_NUMERIC[iso3]
  return byName[norm(country.name_en)] || ''
}

export function atlasName(feature) {
  return atlasNames[feature] || feature
}
