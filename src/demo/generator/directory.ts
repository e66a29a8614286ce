/**
 * The demo services directory: a few national services every establishment sees, and about thirty services of
 * each establishment (inside the prison and in its town). Pure and deterministic: the same establishment and day
 * give the same directory. Contact details are clearly made up: phone numbers from Ofcom's drama ranges
 * (0113 496 0000–0999, 020 7946 0000–0999) and email addresses at example.org.
 */
import { addDays } from '../../domain/dates'
import type { Provision, ServiceStatus } from '../../domain/directory'
import type { Day, LocationRecord, ScheduleRecord, ServiceRecord } from '../../domain/directoryRecord'
import type { PathwayCode } from '../../domain/pathways'
import { Random, deriveSeed } from '../../domain/random'

export interface DemoDirectoryService {
  record: ServiceRecord
  assuredDate: string | null
  assurerEmail: string | null
}

const WEEKDAYS: Day[] = ['MO', 'TU', 'WE', 'TH', 'FR']
const EVERY_DAY: Day[] = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU']

const sched = (days: Day[], opensAt: string, closesAt: string, description: string | null = null): ScheduleRecord => ({
  days,
  opensAt,
  closesAt,
  description,
})

const FIRST = [
  'Sarah',
  'James',
  'Aisha',
  'Tom',
  'Priya',
  'Michael',
  'Joanna',
  'David',
  'Fatima',
  'Chris',
  'Helen',
  'Omar',
]
const LAST = [
  'Hughes',
  'Patel',
  'Walsh',
  'Khan',
  'Roberts',
  'Nowak',
  'Clarke',
  'Ahmed',
  'Evans',
  'Bennett',
  'Shah',
  'Price',
]

interface Template {
  key: string
  name: string
  org: 'prison' | string
  provision: Provision
  pathways: PathwayCode[]
  description: string
  how: string
  eligibility?: string
  wait?: string
  where: string | 'community' | 'virtual'
  title: string
  schedules: ScheduleRecord[]
  languages?: string[]
  interpretation?: string
}

/** Inside the prison. `where` names the internal location. */
const INTERNAL: Template[] = [
  {
    key: 'healthcare',
    name: 'Healthcare (primary care)',
    org: 'Prison healthcare partnership',
    provision: 'internal',
    pathways: ['health'],
    description: 'GP, nurse clinics, pharmacy and long-term condition reviews for everyone in custody.',
    how: 'Fill in a healthcare application form, available on every wing, and post it in the healthcare box. In an emergency, tell wing staff straight away.',
    wait: 'Routine GP appointments within 2 weeks',
    where: 'Healthcare centre',
    title: 'Head of healthcare',
    schedules: [sched(WEEKDAYS, '08:00', '17:30'), sched(['SA', 'SU'], '08:00', '12:00', 'nurse-led clinics only')],
    interpretation: 'Telephone interpreting for every appointment',
  },
  {
    key: 'mental-health',
    name: 'Mental health in-reach team',
    org: 'Prison healthcare partnership',
    provision: 'internal',
    pathways: ['health', 'wellbeing-safety'],
    description: 'Assessment and support for men with mental health needs, including counselling and psychiatry.',
    how: 'Key Workers refer by email with the prisoner number and the reason. Men can also self-refer through a healthcare application.',
    eligibility: 'Anyone in custody with a mental health concern',
    wait: 'Urgent referrals seen within 48 hours',
    where: 'Healthcare centre',
    title: 'Mental health team leader',
    schedules: [sched(WEEKDAYS, '09:00', '17:00')],
  },
  {
    key: 'substance-misuse',
    name: 'Substance misuse service',
    org: 'Recovery partnership',
    provision: 'internal',
    pathways: ['drugs-alcohol', 'health'],
    description:
      'Clinical and psychosocial support for drug and alcohol use, including opiate substitution and recovery groups.',
    how: 'Refer by email or ask the man to put in an application. Reception screening also refers new arrivals.',
    where: 'Recovery wing',
    title: 'Recovery worker',
    schedules: [sched(WEEKDAYS, '08:30', '16:30')],
  },
  {
    key: 'chaplaincy',
    name: 'Chaplaincy',
    org: 'prison',
    provision: 'internal',
    pathways: ['wellbeing-safety', 'children-families'],
    description:
      'Faith services and pastoral support for all faiths and none, including a Polish-speaking Catholic chaplain and an Urdu- and Arabic-speaking imam.',
    how: 'Ask wing staff to call the chaplaincy or put in a general application. Chaplains visit every new arrival within 24 hours.',
    where: 'Chapel',
    title: 'Managing chaplain',
    schedules: [sched(EVERY_DAY, '08:00', '17:00'), sched(['FR'], '12:30', '14:00', 'Friday prayers')],
    languages: ['en', 'pl', 'ur', 'ar'],
  },
  {
    key: 'education',
    name: 'Education and skills',
    org: 'Prison education provider',
    provision: 'internal',
    pathways: ['education-training-employment'],
    description: 'English, maths, digital skills, ESOL and vocational courses from entry level to level 2.',
    how: 'Complete an education application. Every man has an initial assessment during induction.',
    wait: 'Courses start every 6 weeks',
    where: 'Education block',
    title: 'Education manager',
    schedules: [
      sched(WEEKDAYS, '08:45', '11:45', 'morning sessions'),
      sched(WEEKDAYS, '13:45', '16:15', 'afternoon sessions'),
    ],
    languages: ['en'],
  },
  {
    key: 'esol',
    name: 'English for speakers of other languages (ESOL)',
    org: 'Prison education provider',
    provision: 'internal',
    pathways: ['education-training-employment'],
    description: 'English classes for men whose first language is not English, from beginner to level 1.',
    how: 'Refer through the education department or ask at the library.',
    where: 'Education block',
    title: 'ESOL tutor',
    schedules: [sched(['MO', 'WE', 'FR'], '09:00', '11:30')],
    languages: ['en', 'pl', 'ro', 'ar', 'sq'],
  },
  {
    key: 'library',
    name: 'Library',
    org: 'Local authority library service',
    provision: 'internal',
    pathways: ['education-training-employment', 'wellbeing-safety'],
    description:
      'Books, legal texts, newspapers, audiobooks and books in over 20 languages; Storybook Dads recordings.',
    how: 'Each wing has a weekly library slot. Ask wing staff for the timetable.',
    where: 'Library',
    title: 'Prison librarian',
    schedules: [sched(['MO', 'TU', 'WE', 'TH'], '09:00', '16:00'), sched(['SA'], '09:00', '11:30')],
    languages: ['en', 'pl', 'ro', 'lt', 'ar', 'ur', 'pa', 'es'],
  },
  {
    key: 'gym',
    name: 'Gym and PE',
    org: 'prison',
    provision: 'internal',
    pathways: ['health', 'wellbeing-safety'],
    description: 'Gym sessions, sport, remedial PE and sports qualifications.',
    how: 'Put in a gym application. New arrivals must complete a gym induction first.',
    where: 'Gym',
    title: 'PE manager',
    schedules: [sched(EVERY_DAY, '08:15', '19:30')],
  },
  {
    key: 'resettlement',
    name: 'Resettlement team',
    org: 'prison',
    provision: 'internal',
    pathways: ['accommodation', 'finance-benefit-debt'],
    description: 'Pre-release planning: accommodation, ID, bank accounts, and referrals to community services.',
    how: 'Men are seen 12 weeks before release. Key Workers can refer earlier by email.',
    where: 'Resettlement hub',
    title: 'Resettlement officer',
    schedules: [sched(WEEKDAYS, '09:00', '16:00')],
  },
  {
    key: 'family',
    name: 'Family support and visits',
    org: 'Families charity (demo)',
    provision: 'internal',
    pathways: ['children-families'],
    description: 'Family days, help with visits and contact with children, parenting courses and Storybook Dads.',
    how: 'Refer by email or ask the man to write to the family team.',
    where: 'Visits hall',
    title: 'Family support worker',
    schedules: [sched(['TU', 'TH', 'SA', 'SU'], '13:30', '16:30', 'visits sessions')],
  },
  {
    key: 'omu',
    name: 'Offender management unit (POM)',
    org: 'prison',
    provision: 'internal',
    pathways: ['attitudes-thinking-behaviour'],
    description:
      'Prison Offender Managers: sentence planning, OASys, categorisation, and release on temporary licence.',
    how: 'Email the OMU mailbox with the prison number. Urgent matters: phone the OMU hub.',
    where: 'Offender management unit',
    title: 'Head of offender management',
    schedules: [sched(WEEKDAYS, '08:30', '17:00')],
  },
  {
    key: 'programmes',
    name: 'Accredited programmes (Thinking Skills Programme)',
    org: 'prison',
    provision: 'internal',
    pathways: ['attitudes-thinking-behaviour'],
    description: 'Group programmes that help men manage thinking, feelings and behaviour.',
    how: 'Referral by the Prison Offender Manager after a suitability assessment.',
    eligibility: 'Medium or high risk of reoffending, at least 6 months left to serve',
    wait: 'About 3 months',
    where: 'Programmes unit',
    title: 'Programmes manager',
    schedules: [sched(['MO', 'TU', 'WE', 'TH'], '09:00', '11:30')],
  },
  {
    key: 'listeners',
    name: 'Listeners (Samaritans-trained peer support)',
    org: 'prison',
    provision: 'internal',
    pathways: ['wellbeing-safety'],
    description: 'Confidential peer support from men trained by Samaritans, day and night.',
    how: 'Ask any member of staff for a Listener at any time, day or night.',
    where: 'Residential wings',
    title: 'Safer custody lead',
    schedules: [sched(EVERY_DAY, '00:00', '23:59', 'day and night')],
  },
  {
    key: 'safer-custody',
    name: 'Safer custody team',
    org: 'prison',
    provision: 'internal',
    pathways: ['wellbeing-safety'],
    description:
      'Support for men at risk of self-harm or violence, ACCT case management and the safer custody hotline for families.',
    how: 'Email or phone the team. For immediate risk, open an ACCT and tell the wing manager.',
    where: 'Safer custody office',
    title: 'Safer custody manager',
    schedules: [sched(WEEKDAYS, '08:00', '17:00')],
  },
  {
    key: 'citizens-advice',
    name: 'Citizens Advice in prison',
    org: 'Citizens Advice (local office, demo)',
    provision: 'internal',
    pathways: ['finance-benefit-debt', 'accommodation'],
    description: 'Advice on debt, benefits, housing and closing down tenancies, with weekly surgeries inside.',
    how: 'Refer by email with the prison number, or the man can put in a general application.',
    where: 'Resettlement hub',
    title: 'Adviser',
    schedules: [sched(['TU', 'TH'], '09:30', '15:30')],
  },
  {
    key: 'work-coach',
    name: 'DWP prison work coach',
    org: 'Department for Work and Pensions (demo)',
    provision: 'internal',
    pathways: ['finance-benefit-debt', 'education-training-employment'],
    description: 'Universal Credit advance claims before release, benefit advice and help to find work.',
    how: 'Seen automatically 6 weeks before release; Key Workers can refer earlier by email.',
    where: 'Resettlement hub',
    title: 'Prison work coach',
    schedules: [sched(['MO', 'WE', 'TH'], '09:00', '16:00')],
  },
  {
    key: 'interpreters',
    name: 'Interpreter service',
    org: 'Telephone interpreting provider (demo)',
    provision: 'internal',
    pathways: ['wellbeing-safety'],
    description: 'Telephone and video interpreting for interviews, healthcare, adjudications and key work sessions.',
    how: 'Book through the interpreting line with the prison number, the language and the length of call.',
    where: 'virtual',
    title: 'Booking team',
    schedules: [sched(EVERY_DAY, '00:00', '23:59', '24 hours')],
    languages: [
      'pl',
      'ro',
      'lt',
      'lv',
      'sq',
      'ar',
      'ur',
      'pa',
      'bn',
      'fa',
      'ku',
      'so',
      'ti',
      'vi',
      'zh',
      'pt',
      'es',
      'bsl',
    ],
    interpretation: 'Over 100 languages, including British Sign Language by video',
  },
  {
    key: 'industries',
    name: 'Prison industries and workshops',
    org: 'prison',
    provision: 'internal',
    pathways: ['education-training-employment'],
    description: 'Paid work in workshops, kitchens, waste management and the laundry, with industry certificates.',
    how: 'Put in an application to the labour allocation board.',
    where: 'Workshops',
    title: 'Industries manager',
    schedules: [sched(WEEKDAYS, '08:30', '16:00')],
  },
  {
    key: 'careers',
    name: 'Careers information and advice',
    org: 'Prison education provider',
    provision: 'internal',
    pathways: ['education-training-employment'],
    description: 'CVs, disclosure letters, job search and release-on-temporary-licence work placements.',
    how: 'Refer through the education department or ask during induction.',
    where: 'Education block',
    title: 'Careers adviser',
    schedules: [sched(['MO', 'TU', 'TH'], '09:00', '16:00')],
  },
  {
    key: 'veterans',
    name: 'Veterans in custody support',
    org: 'prison',
    provision: 'internal',
    pathways: ['wellbeing-safety', 'health'],
    description: 'Support for men who served in the armed forces, and links to veterans charities.',
    how: 'Tell wing staff or email the veterans in custody officer.',
    where: 'Resettlement hub',
    title: 'Veterans in custody officer',
    schedules: [sched(['WE'], '10:00', '15:00')],
  },
  {
    key: 'dental',
    name: 'Dental service',
    org: 'Prison healthcare partnership',
    provision: 'internal',
    pathways: ['health'],
    description: 'Check-ups, treatment and emergency dental care.',
    how: 'Put in a healthcare application asking for the dentist.',
    wait: 'About 8 weeks for routine care',
    where: 'Healthcare centre',
    title: 'Dental nurse',
    schedules: [sched(['TU', 'FR'], '09:00', '16:00')],
  },
]

/** In the community, in the establishment's town. */
const EXTERNAL: Template[] = [
  {
    key: 'housing-options',
    name: 'Housing options and homelessness advice',
    org: 'City council housing options (demo)',
    provision: 'external',
    pathways: ['accommodation'],
    description: 'Advice and duty to refer for men who will be homeless on release.',
    how: 'Make a duty to refer through the council portal at least 56 days before release, or phone the team.',
    where: 'community',
    title: 'Housing options officer',
    schedules: [sched(WEEKDAYS, '09:00', '17:00')],
  },
  {
    key: 'supported-housing',
    name: 'Supported housing for prison leavers',
    org: 'Community housing trust (demo)',
    provision: 'external',
    pathways: ['accommodation', 'wellbeing-safety'],
    description: 'Shared supported accommodation with a key worker, for up to 2 years after release.',
    how: 'Referral by the Community Offender Manager or the resettlement team.',
    eligibility: 'Men aged 18 and over with a local connection',
    wait: 'Usually 4 to 8 weeks',
    where: 'community',
    title: 'Referrals coordinator',
    schedules: [sched(WEEKDAYS, '09:00', '17:00')],
  },
  {
    key: 'employment',
    name: 'Employment support for people with convictions',
    org: 'Second chances employment (demo)',
    provision: 'external',
    pathways: ['education-training-employment'],
    description: 'Help into work after release: job matching with employers who hire people with convictions.',
    how: 'Refer by email up to 3 months before release.',
    where: 'community',
    title: 'Employment coach',
    schedules: [sched(['MO', 'TU', 'WE', 'TH'], '09:30', '16:30')],
  },
  {
    key: 'debt',
    name: 'Community debt advice centre',
    org: 'Community money advice (demo)',
    provision: 'external',
    pathways: ['finance-benefit-debt'],
    description: 'Free, confidential debt advice, budgeting and help with fines and rent arrears.',
    how: 'Phone or email; appointments in person or by phone after release.',
    where: 'community',
    title: 'Debt adviser',
    schedules: [sched(WEEKDAYS, '10:00', '16:00')],
    languages: ['en', 'ur', 'pa'],
  },
  {
    key: 'community-drugs',
    name: 'Community drug and alcohol service',
    org: 'Recovery partnership',
    provision: 'external',
    pathways: ['drugs-alcohol'],
    description: 'Continuity of treatment after release, including prescribing and recovery groups.',
    how: 'The substance misuse team books a first appointment for the day of release.',
    where: 'community',
    title: 'Criminal justice worker',
    schedules: [sched(WEEKDAYS, '09:00', '17:00'), sched(['SA'], '10:00', '13:00', 'drop-in')],
  },
  {
    key: 'food-bank',
    name: 'Food bank',
    org: 'Town food bank (demo)',
    provision: 'external',
    pathways: ['finance-benefit-debt', 'wellbeing-safety'],
    description: 'Emergency food parcels in the first weeks after release.',
    how: 'A voucher from the resettlement team or probation.',
    where: 'community',
    title: 'Volunteer coordinator',
    schedules: [sched(['MO', 'WE', 'FR'], '12:00', '15:00')],
  },
  {
    key: 'community-families',
    name: 'Families of prisoners support group',
    org: 'Families charity (demo)',
    provision: 'external',
    pathways: ['children-families'],
    description: 'Support groups and one-to-one help for partners, parents and children of men in prison.',
    how: 'Families can self-refer by phone or email.',
    where: 'community',
    title: 'Community family worker',
    schedules: [sched(['TU'], '18:00', '20:00', 'support group')],
  },
  {
    key: 'community-mental-health',
    name: 'Community mental health charity',
    org: 'Local mind charity (demo)',
    provision: 'external',
    pathways: ['health', 'wellbeing-safety'],
    description: 'Talking therapies, peer support and crisis cafés in the community.',
    how: 'Self-referral by phone, or referral by the mental health in-reach team before release.',
    where: 'community',
    title: 'Wellbeing practitioner',
    schedules: [sched(WEEKDAYS, '09:00', '17:00'), sched(['FR', 'SA'], '18:00', '23:00', 'crisis café')],
  },
]

interface NationalTemplate extends Omit<Template, 'where' | 'org'> {
  org: string
  website: string
  virtual: boolean
}

const NATIONAL: NationalTemplate[] = [
  {
    key: 'samaritans',
    name: 'Samaritans',
    org: 'Samaritans (demo)',
    provision: 'external',
    pathways: ['wellbeing-safety'],
    description:
      'Confidential emotional support, day or night, for anyone struggling to cope. Free from prison phones.',
    how: 'Call free at any time. The number is on every wing and on the in-cell phone.',
    title: 'Prison support',
    schedules: [sched(EVERY_DAY, '00:00', '23:59', '24 hours')],
    website: 'https://samaritans.example.org',
    virtual: true,
  },
  {
    key: 'national-careers',
    name: 'National Careers Service',
    org: 'National Careers Service (demo)',
    provision: 'external',
    pathways: ['education-training-employment'],
    description: 'Free careers information, advice and guidance, by phone and online.',
    how: 'Phone or use the webchat; advisers can call back.',
    title: 'Careers adviser',
    schedules: [sched(WEEKDAYS, '08:00', '20:00'), sched(['SA'], '10:00', '17:00')],
    website: 'https://careers.example.org',
    virtual: true,
    languages: ['en', 'cy'],
  },
  {
    key: 'stepchange',
    name: 'StepChange debt advice',
    org: 'StepChange Debt Charity (demo)',
    provision: 'external',
    pathways: ['finance-benefit-debt'],
    description: 'Free debt advice and debt management plans, by phone and online.',
    how: 'Phone, or start online; letters from prison are answered.',
    title: 'Debt adviser',
    schedules: [sched(WEEKDAYS, '08:00', '20:00'), sched(['SA'], '08:00', '16:00')],
    website: 'https://stepchange.example.org',
    virtual: true,
  },
  {
    key: 'shelter',
    name: 'Shelter housing advice',
    org: 'Shelter (demo)',
    provision: 'external',
    pathways: ['accommodation'],
    description: 'Expert housing advice, including for people leaving prison and at risk of losing a tenancy.',
    how: 'Phone the helpline; families can call on a man’s behalf with his permission.',
    title: 'Housing adviser',
    schedules: [sched(WEEKDAYS, '08:00', '20:00'), sched(['SA', 'SU'], '09:00', '17:00')],
    website: 'https://shelter.example.org',
    virtual: true,
  },
  {
    key: 'families-helpline',
    name: 'Prisoners’ Families Helpline',
    org: 'Prisoners’ families charity (demo)',
    provision: 'external',
    pathways: ['children-families'],
    description: 'Free, confidential support for anyone with a family member in prison.',
    how: 'Families phone or email; no referral needed.',
    title: 'Helpline worker',
    schedules: [sched(WEEKDAYS, '09:00', '20:00'), sched(['SA', 'SU'], '10:00', '15:00')],
    website: 'https://familieshelpline.example.org',
    virtual: true,
  },
  {
    key: 'citizens-advice-national',
    name: 'Citizens Advice Adviceline',
    org: 'Citizens Advice (demo)',
    provision: 'external',
    pathways: ['finance-benefit-debt', 'accommodation'],
    description: 'Advice on benefits, debt, housing, employment and consumer problems.',
    how: 'Phone the Adviceline; free from prison phones when added to the PIN list.',
    title: 'Adviser',
    schedules: [sched(WEEKDAYS, '09:00', '17:00')],
    website: 'https://citizensadvice.example.org',
    virtual: true,
    languages: ['en', 'cy'],
  },
  {
    key: 'national-debtline',
    name: 'National Debtline',
    org: 'Money Advice Trust (demo)',
    provision: 'external',
    pathways: ['finance-benefit-debt'],
    description: 'Free debt advice by phone, and fact sheets by post to prisons.',
    how: 'Phone, or write; fact sheets are sent to the prison library.',
    title: 'Debt adviser',
    schedules: [sched(WEEKDAYS, '09:00', '20:00')],
    website: 'https://nationaldebtline.example.org',
    virtual: true,
  },
  {
    key: 'unlock',
    name: 'Criminal records and disclosure advice',
    org: 'Unlock (demo)',
    provision: 'external',
    pathways: ['education-training-employment', 'attitudes-thinking-behaviour'],
    description: 'Advice on disclosing convictions to employers, insurers and landlords.',
    how: 'Phone or email the helpline; letters from prison are answered.',
    title: 'Helpline adviser',
    schedules: [sched(['MO', 'TU', 'WE', 'TH'], '10:00', '16:00')],
    website: 'https://unlock.example.org',
    virtual: true,
  },
  {
    key: 'alcoholics-anonymous',
    name: 'Alcoholics Anonymous in prisons',
    org: 'Alcoholics Anonymous (demo)',
    provision: 'external',
    pathways: ['drugs-alcohol'],
    description: 'Mutual-help meetings inside prisons and in every town after release.',
    how: 'Ask the chaplaincy or the substance misuse team for meeting times.',
    title: 'Prison liaison',
    schedules: [sched(EVERY_DAY, '10:00', '22:00', 'helpline')],
    website: 'https://aa.example.org',
    virtual: true,
  },
]

/** "Leeds (HMP)" → "Leeds"; "Moorland (HMP & YOI)" → "Moorland". */
export function townOf(establishmentName: string): string {
  return establishmentName.replace(/\s*\(.*\)\s*$/, '').trim() || establishmentName
}

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '')

function hashCode(s: string): number {
  let h = 2166136261
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619)
  return h >>> 0
}

/** A drama-range number: 0113 496 0000–0999 (establishments) or 020 7946 0000–0999 (national). */
const leedsDrama = (n: number) => `0113 496 ${String(n % 1000).padStart(4, '0')}`
const londonDrama = (n: number) => `020 7946 ${String(n % 1000).padStart(4, '0')}`

function assurance(
  rng: Random,
  today: string,
  email: string,
): { assuredDate: string | null; assurerEmail: string | null } {
  const roll = rng.next()
  if (roll < 0.04) return { assuredDate: null, assurerEmail: null }
  // most were checked in the last five months; about one in six is overdue (more than six months ago)
  const daysAgo = roll < 0.2 ? rng.int(190, 420) : rng.int(1, 150)
  return { assuredDate: addDays(today, -daysAgo), assurerEmail: email }
}

function record(
  t: Template | NationalTemplate,
  organizationName: string,
  location: LocationRecord | null,
  contact: ServiceRecord['contacts'][number],
  phones: ServiceRecord['phones'],
  email: string,
  url: string | null,
  status: ServiceStatus,
): ServiceRecord {
  return {
    name: t.name,
    description: t.description,
    organizationName,
    status,
    provision: t.provision,
    applicationProcess: t.how,
    eligibility: t.eligibility ?? null,
    waitTime: t.wait ?? null,
    email,
    url,
    interpretationServices: t.interpretation ?? null,
    location,
    contacts: [contact],
    phones,
    schedules: t.schedules,
    languages: t.languages ?? [],
    pathways: t.pathways,
  }
}

/** The demo directory as of `today`: national services, and a function for each establishment's own. */
export function demoDirectory(today: string) {
  const nationalRng = new Random(deriveSeed(hashCode('national'), 31))
  const national: DemoDirectoryService[] = NATIONAL.map((t, i) => {
    const email = `${t.key}@example.org`
    return {
      record: record(
        t,
        t.org,
        { type: 'virtual', name: `${t.name} (phone and online)`, description: null, url: t.website, address: null },
        { name: null, title: t.title, email, phone: null },
        [{ number: londonDrama(100 + i * 11), extension: null, type: 'voice' }],
        email,
        t.website,
        'active',
      ),
      ...assurance(nationalRng, today, 'national.directory@example.org'),
    }
  })

  function forEstablishment(e: { code: string; name: string }): DemoDirectoryService[] {
    const rng = new Random(deriveSeed(hashCode(e.code), 17))
    const town = townOf(e.name)
    const code = e.code.toLowerCase()
    const switchboard = leedsDrama(hashCode(e.code) % 900)
    const assurer = `directory.${code}@example.org`
    const area = town
      .replace(/[^A-Za-z]/g, '')
      .slice(0, 2)
      .toUpperCase()
      .padEnd(2, 'X')
    const streets = [
      'High Street',
      'Market Street',
      'Station Road',
      'Church Lane',
      'Victoria Road',
      'Mill Lane',
      'Park Road',
      'King Street',
    ]
    const out: DemoDirectoryService[] = []
    let n = 0
    for (const t of [...INTERNAL, ...EXTERNAL]) {
      n++
      const person = `${rng.pick(FIRST)} ${rng.pick(LAST)}`
      const email = `${t.key}.${code}@example.org`
      const organizationName = t.org === 'prison' ? e.name : t.org
      let location: LocationRecord | null
      let phones: ServiceRecord['phones']
      if (t.where === 'community') {
        location = {
          type: 'physical',
          name: `${t.org.replace(/ \(demo\)$/, '')}, ${town}`,
          description: null,
          url: null,
          address: {
            address1: `${rng.int(2, 180)} ${rng.pick(streets)}`,
            address2: null,
            city: town,
            region: null,
            postalCode: `${area}${rng.int(1, 19)} ${rng.int(1, 9)}${rng.pick(['AB', 'DE', 'FG', 'HJ', 'NP', 'QR'])}`,
          },
        }
        phones = [{ number: leedsDrama(hashCode(`${e.code}${t.key}`)), extension: null, type: 'voice' }]
      } else if (t.where === 'virtual') {
        location = { type: 'virtual', name: 'By phone or video', description: null, url: null, address: null }
        phones = [{ number: leedsDrama(hashCode(`${e.code}${t.key}`)), extension: null, type: 'voice' }]
      } else {
        location = { type: 'physical', name: t.where, description: `Inside ${e.name}`, url: null, address: null }
        phones = [{ number: switchboard, extension: String(2000 + n * 7), type: 'voice' }]
      }
      const status: ServiceStatus = t.key === 'gym' && rng.chance(0.25) ? 'temporarily closed' : 'active'
      const description =
        status === 'temporarily closed'
          ? `${t.description} Closed for refurbishment; outdoor PE continues.`
          : t.description
      out.push({
        record: {
          ...record(
            t,
            organizationName,
            location,
            { name: person, title: t.title, email: `${slug(person)}.${code}@example.org`, phone: null },
            phones,
            email,
            null,
            status,
          ),
          description,
        },
        ...assurance(rng, today, assurer),
      })
    }
    return out
  }

  return { national, forEstablishment }
}
