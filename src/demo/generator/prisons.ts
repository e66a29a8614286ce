// Establishments of the male closed and open estate in England and Wales, with their NOMIS codes. Sizes are
// approximate operational populations (public figures, rounded); the demo scales them to the requested roll.
// Leeds comes first: the demo's main establishment is a Category B local of about 1,200 men.

export const CATEGORY = {
  local: 'Category B local',
  a: 'Category A (high security)',
  b: 'Category B',
  c: 'Category C',
  d: 'Category D (open)',
  yoi: 'Young offender institution',
} as const
export type Category = (typeof CATEGORY)[keyof typeof CATEGORY]

export interface PrisonInfo {
  code: string
  name: string
  category: Category
  region: string
  size: number
  /** share of foreign nationals when it differs from the region's (the foreign national prisons) */
  foreignNationals?: number
}

const { local, a, b, c, d, yoi } = CATEGORY

type Row = [code: string, name: string, category: Category, region: string, size: number, foreign?: number]

const ROWS: Row[] = [
  ['LEI', 'Leeds (HMP)', local, 'Yorkshire', 1200, 0.12],
  ['MDI', 'Moorland (HMP & YOI)', c, 'Yorkshire', 1000],
  ['BXI', 'Brixton (HMP)', c, 'London', 750],
  ['ACI', 'Altcourse (HMP)', local, 'North West', 1150],
  ['ASI', 'Ashfield (HMP)', c, 'South West', 400],
  ['AYI', 'Aylesbury (HMP)', c, 'South Central', 400],
  ['BAI', 'Belmarsh (HMP)', a, 'London', 850],
  ['BCI', 'Buckley Hall (HMP)', c, 'North West', 450],
  ['BFI', 'Bedford (HMP)', local, 'East of England', 420],
  ['BLI', 'Bristol (HMP)', local, 'South West', 600],
  ['BMI', 'Birmingham (HMP)', local, 'West Midlands', 1050],
  ['BNI', 'Bullingdon (HMP)', local, 'South Central', 1050],
  ['BRI', 'Bure (HMP)', c, 'East of England', 650],
  ['BSI', 'Brinsford (HMP)', c, 'West Midlands', 570],
  ['BWI', 'Berwyn (HMP)', c, 'Wales', 2100],
  ['CDI', 'Chelmsford (HMP)', local, 'East of England', 750],
  ['CFI', 'Cardiff (HMP)', local, 'Wales', 770],
  ['CLI', 'Coldingley (HMP)', c, 'Kent, Surrey and Sussex', 510],
  ['CWI', 'Channings Wood (HMP)', c, 'South West', 720],
  ['DGI', 'Dovegate (HMP)', b, 'West Midlands', 1150],
  ['DMI', 'Durham (HMP)', local, 'North East', 990],
  ['DNI', 'Doncaster (HMP)', local, 'Yorkshire', 1150],
  ['DTI', 'Deerbolt (HMP & YOI)', yoi, 'North East', 500],
  ['EEI', 'Erlestoke (HMP)', c, 'South West', 520],
  ['EHI', 'Standford Hill (HMP)', d, 'Kent, Surrey and Sussex', 460],
  ['EXI', 'Exeter (HMP)', local, 'South West', 500],
  ['EYI', 'Elmley (HMP)', local, 'Kent, Surrey and Sussex', 1250],
  ['FBI', 'Forest Bank (HMP & YOI)', local, 'North West', 1450],
  ['FDI', 'Ford (HMP)', d, 'Kent, Surrey and Sussex', 550],
  ['FEI', 'Fosse Way (HMP)', c, 'East Midlands', 1700],
  ['FKI', 'Frankland (HMP)', a, 'North East', 850],
  ['FMI', 'Feltham (HMP & YOI)', yoi, 'London', 560],
  ['FNI', 'Full Sutton (HMP)', a, 'Yorkshire', 620],
  ['FSI', 'Featherstone (HMP)', c, 'West Midlands', 690],
  ['FWI', 'Five Wells (HMP)', c, 'East Midlands', 1700],
  ['GHI', 'Garth (HMP)', b, 'North West', 850],
  ['GMI', 'Guys Marsh (HMP)', c, 'South West', 500],
  ['GNI', 'Grendon (HMP)', b, 'South Central', 240],
  ['GTI', 'Gartree (HMP)', b, 'East Midlands', 700],
  ['HBI', 'Hollesley Bay (HMP)', d, 'East of England', 500],
  ['HCI', 'Huntercombe (HMP)', c, 'South Central', 480, 0.9],
  ['HDI', 'Hatfield (HMP)', d, 'Yorkshire', 340],
  ['HEI', 'Hewell (HMP)', local, 'West Midlands', 1000],
  ['HHI', 'Holme House (HMP)', c, 'North East', 1200],
  ['HII', 'Hindley (HMP)', c, 'North West', 600],
  ['HLI', 'Hull (HMP)', local, 'Yorkshire', 1000],
  ['HMI', 'Humber (HMP)', c, 'Yorkshire', 1060],
  ['HOI', 'High Down (HMP)', c, 'Kent, Surrey and Sussex', 1200],
  ['HPI', 'Highpoint (HMP)', c, 'East of England', 1330],
  ['HVI', 'Haverigg (HMP)', c, 'North West', 550],
  ['ISI', 'Isis (HMP & YOI)', c, 'London', 620],
  ['IWI', 'Isle of Wight (HMP)', b, 'South Central', 1000],
  ['KMI', 'Kirkham (HMP)', d, 'North West', 690],
  ['KVI', 'Kirklevington Grange (HMP)', d, 'North East', 280],
  ['LCI', 'Leicester (HMP)', local, 'East Midlands', 350],
  ['LFI', 'Lancaster Farms (HMP)', c, 'North West', 560],
  ['LGI', 'Lowdham Grange (HMP)', b, 'East Midlands', 920],
  ['LHI', 'Lindholme (HMP)', c, 'Yorkshire', 1000],
  ['LII', 'Lincoln (HMP)', local, 'East Midlands', 650],
  ['LLI', 'Long Lartin (HMP)', a, 'West Midlands', 620],
  ['LPI', 'Liverpool (HMP)', local, 'North West', 1000],
  ['LTI', 'Littlehey (HMP)', c, 'East of England', 1220],
  ['LWI', 'Lewes (HMP)', local, 'Kent, Surrey and Sussex', 650],
  ['LYI', 'Leyhill (HMP)', d, 'South West', 520],
  ['MHI', 'Morton Hall (HMP)', c, 'East Midlands', 400],
  ['MRI', 'Manchester (HMP)', local, 'North West', 700],
  ['MSI', 'Maidstone (HMP)', c, 'Kent, Surrey and Sussex', 600, 0.95],
  ['MTI', 'The Mount (HMP)', c, 'East of England', 1000],
  ['NLI', 'Northumberland (HMP)', c, 'North East', 1350],
  ['NMI', 'Nottingham (HMP)', local, 'East Midlands', 850],
  ['NSI', 'North Sea Camp (HMP)', d, 'East Midlands', 420],
  ['NWI', 'Norwich (HMP & YOI)', local, 'East of England', 750],
  ['ONI', 'Onley (HMP)', c, 'West Midlands', 740],
  ['OWI', 'Oakwood (HMP)', c, 'West Midlands', 2100],
  ['PBI', 'Peterborough (HMP)', local, 'East of England', 860],
  ['PDI', 'Portland (HMP & YOI)', c, 'South West', 530],
  ['PNI', 'Preston (HMP)', local, 'North West', 700],
  ['PRI', 'Parc (HMP)', b, 'Wales', 1700],
  ['PVI', 'Pentonville (HMP)', local, 'London', 1150],
  ['RCI', 'Rochester (HMP)', c, 'Kent, Surrey and Sussex', 740],
  ['RHI', 'Rye Hill (HMP)', b, 'West Midlands', 660],
  ['RNI', 'Ranby (HMP)', c, 'East Midlands', 1030],
  ['RSI', 'Risley (HMP)', c, 'North West', 1150],
  ['SFI', 'Stafford (HMP)', c, 'West Midlands', 750],
  ['SHI', 'Stoke Heath (HMP)', c, 'West Midlands', 780],
  ['SKI', 'Stocken (HMP)', c, 'East Midlands', 1050],
  ['SLI', 'Swaleside (HMP)', b, 'Kent, Surrey and Sussex', 1100],
  ['SNI', 'Swinfen Hall (HMP)', c, 'West Midlands', 620],
  ['SPI', 'Spring Hill (HMP)', d, 'South Central', 320],
  ['SUI', 'Sudbury (HMP)', d, 'East Midlands', 580],
  ['SWI', 'Swansea (HMP)', local, 'Wales', 450],
  ['TCI', 'Thorn Cross (HMP)', d, 'North West', 380],
  ['TSI', 'Thameside (HMP)', local, 'London', 1230],
  ['UKI', 'Usk (HMP)', c, 'Wales', 270],
  ['UPI', 'Prescoed (HMP)', d, 'Wales', 260],
  ['VEI', 'The Verne (HMP)', c, 'South West', 600],
  ['WCI', 'Winchester (HMP)', local, 'South Central', 620],
  ['WDI', 'Wakefield (HMP)', a, 'Yorkshire', 750],
  ['WEI', 'Wealstun (HMP)', c, 'Yorkshire', 830],
  ['WHI', 'Woodhill (HMP)', a, 'South Central', 700],
  ['WII', 'Warren Hill (HMP)', c, 'East of England', 250],
  ['WLI', 'Wayland (HMP)', c, 'East of England', 1000],
  ['WMI', 'Wymott (HMP)', c, 'North West', 1150],
  ['WRI', 'Whitemoor (HMP)', a, 'East of England', 450],
  ['WSI', 'Wormwood Scrubs (HMP)', local, 'London', 1200],
  ['WTI', 'Whatton (HMP)', c, 'East Midlands', 840],
  ['WWI', 'Wandsworth (HMP)', local, 'London', 1500],
]

export const PRISONS: readonly PrisonInfo[] = ROWS.map(([code, name, category, region, size, foreign]) => ({
  code,
  name,
  category,
  region,
  size,
  ...(foreign === undefined ? {} : { foreignNationals: foreign }),
}))

/** Share of foreign nationals by region: London highest, the North East lowest; about 12% overall. */
export const REGION_FOREIGN_NATIONALS: Record<string, number> = {
  London: 0.24,
  'Kent, Surrey and Sussex': 0.16,
  'East of England': 0.14,
  'South Central': 0.14,
  'West Midlands': 0.11,
  'East Midlands': 0.1,
  Yorkshire: 0.1,
  'North West': 0.09,
  'South West': 0.07,
  Wales: 0.06,
  'North East': 0.05,
}

// Places with no prison, for establishments beyond the real list (a larger-than-life national demo).
const EXTRA_PLACES = `Ashdown, Blackmoor, Calder Vale, Denford, Eastmoor, Fenbridge, Greyfriars, Hartmoor, Kingsmead,
  Longridge, Marshfield, Northgate, Oakhurst, Redmarsh, Stonebridge, Thornfield, Westmoor, Yarrowdale, Amberley,
  Brackenhurst, Coldharbour, Deepdale, Elmstead, Foxhill, Gallowfield, Hawkridge, Ironbridge Lane, Juniper Hill,
  Kestrel Fields, Larkhill, Millbrook, Netherfield, Orchard Grange, Pennington, Queensbury, Rookwood, Saltmarsh`
  .split(',')
  .map(s => s.trim())

const EXTRA_REGIONS = Object.keys(REGION_FOREIGN_NATIONALS)
const EXTRA_CATEGORIES: Category[] = [c, c, c, local, b, c, d, local]

/**
 * The first n establishments: the real ones in order, then invented ones with plausible names and codes
 * (never a real code) when more are asked for than exist.
 */
export function prisonList(n: number): PrisonInfo[] {
  const out = PRISONS.slice(0, n)
  const codes = new Set(PRISONS.map(p => p.code))
  for (let i = 0; out.length < n; i++) {
    const place = EXTRA_PLACES[i % EXTRA_PLACES.length]!
    const round = Math.floor(i / EXTRA_PLACES.length)
    const name = round === 0 ? `${place} (HMP)` : `${place} ${round + 1} (HMP)`
    const code = uniqueCode(place, codes)
    codes.add(code)
    out.push({
      code,
      name,
      category: EXTRA_CATEGORIES[i % EXTRA_CATEGORIES.length]!,
      region: EXTRA_REGIONS[i % EXTRA_REGIONS.length]!,
      size: 500 + ((i * 137) % 900),
    })
  }
  return out
}

/** Establishment codes are three letters ending in I; tries the place's own letters first. */
function uniqueCode(place: string, taken: Set<string>): string {
  const letters = place.toUpperCase().replace(/[^A-Z]/g, '')
  for (let i = 1; i < letters.length; i++) {
    const code = `${letters[0]}${letters[i]}I`
    if (!taken.has(code)) return code
  }
  for (let x = 0; x < 26 * 26; x++) {
    const code = `${String.fromCharCode(65 + Math.floor(x / 26))}${String.fromCharCode(65 + (x % 26))}I`
    if (!taken.has(code)) return code
  }
  throw new Error('no establishment code left')
}
