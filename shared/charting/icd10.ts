/**
 * ICD-10-CM diagnosis codes (docs/architecture.md#episodes-of-care): a bundled list of the codes
 * physical-therapy clinics use most, searchable by code or words; any well-formed code can still
 * be entered.
 */
export interface Icd10Code {
  readonly code: string;
  readonly text: string;
}

export const ICD10_SOURCE =
  'ICD-10-CM (CMS and NCHS), FY2025 code set: billable codes with their long descriptions as in the Tabular List; a chosen subset for outpatient physical therapy.';

/** A right/left pair whose descriptions differ only in the side: `{s}` is replaced by "right" or "left". */
function rl(right: string, left: string, text: string): Icd10Code[] {
  return [
    { code: right, text: text.replaceAll('{s}', 'right') },
    { code: left, text: text.replaceAll('{s}', 'left') },
  ];
}

/** Codes written one per line as "CODE Description". */
function lines(block: string): Icd10Code[] {
  return block
    .trim()
    .split('\n')
    .map((line) => {
      const at = line.trim().indexOf(' ');
      return { code: line.trim().slice(0, at), text: line.trim().slice(at + 1) };
    });
}

/**
 * The codes (ICD10_SOURCE), grouped by chapter: musculoskeletal (M), injury (S, 7th character A:
 * initial encounter), symptoms (R), nervous system (G), and factors influencing health status (Z).
 * Only codes valid for billing (the most specific level) are listed.
 */
export const ICD10_CODES: readonly Icd10Code[] = [
  // Dorsalgia (M54); M54.5 was split in FY2022 into M54.50, M54.51 and M54.59.
  ...lines(`
    M54.2 Cervicalgia
    M54.11 Radiculopathy, occipito-atlanto-axial region
    M54.12 Radiculopathy, cervical region
    M54.13 Radiculopathy, cervicothoracic region
    M54.14 Radiculopathy, thoracic region
    M54.15 Radiculopathy, thoracolumbar region
    M54.16 Radiculopathy, lumbar region
    M54.17 Radiculopathy, lumbosacral region
    M54.18 Radiculopathy, sacral and sacrococcygeal region
    M54.30 Sciatica, unspecified side
    M54.31 Sciatica, right side
    M54.32 Sciatica, left side
    M54.40 Lumbago with sciatica, unspecified side
    M54.41 Lumbago with sciatica, right side
    M54.42 Lumbago with sciatica, left side
    M54.50 Low back pain, unspecified
    M54.51 Vertebrogenic low back pain
    M54.59 Other low back pain
    M54.6 Pain in thoracic spine
    M54.81 Occipital neuralgia
    M54.89 Other dorsalgia
    M54.9 Dorsalgia, unspecified
  `),
  // Other spinal disorders.
  ...lines(`
    M43.6 Torticollis
    M43.16 Spondylolisthesis, lumbar region
    M43.17 Spondylolisthesis, lumbosacral region
    M41.9 Scoliosis, unspecified
    M46.1 Sacroiliitis, not elsewhere classified
    M47.812 Spondylosis without myelopathy or radiculopathy, cervical region
    M47.814 Spondylosis without myelopathy or radiculopathy, thoracic region
    M47.816 Spondylosis without myelopathy or radiculopathy, lumbar region
    M47.817 Spondylosis without myelopathy or radiculopathy, lumbosacral region
    M47.22 Other spondylosis with radiculopathy, cervical region
    M47.26 Other spondylosis with radiculopathy, lumbar region
    M48.02 Spinal stenosis, cervical region
    M48.04 Spinal stenosis, thoracic region
    M48.061 Spinal stenosis, lumbar region without neurogenic claudication
    M48.062 Spinal stenosis, lumbar region with neurogenic claudication
    M48.07 Spinal stenosis, lumbosacral region
    M50.20 Other cervical disc displacement, unspecified cervical region
    M50.30 Other cervical disc degeneration, unspecified cervical region
    M51.16 Intervertebral disc disorders with radiculopathy, lumbar region
    M51.17 Intervertebral disc disorders with radiculopathy, lumbosacral region
    M51.26 Other intervertebral disc displacement, lumbar region
    M51.27 Other intervertebral disc displacement, lumbosacral region
    M53.1 Cervicobrachial syndrome
    M53.3 Sacrococcygeal disorders, not elsewhere classified
    M99.01 Segmental and somatic dysfunction of cervical region
    M99.02 Segmental and somatic dysfunction of thoracic region
    M99.03 Segmental and somatic dysfunction of lumbar region
    M99.04 Segmental and somatic dysfunction of sacral region
    M99.05 Segmental and somatic dysfunction of pelvic region
  `),
  // Pain in joint (M25.5).
  { code: 'M25.50', text: 'Pain in unspecified joint' },
  ...rl('M25.511', 'M25.512', 'Pain in {s} shoulder'),
  { code: 'M25.519', text: 'Pain in unspecified shoulder' },
  ...rl('M25.521', 'M25.522', 'Pain in {s} elbow'),
  ...rl('M25.531', 'M25.532', 'Pain in {s} wrist'),
  ...rl('M25.541', 'M25.542', 'Pain in joints of {s} hand'),
  ...rl('M25.551', 'M25.552', 'Pain in {s} hip'),
  { code: 'M25.559', text: 'Pain in unspecified hip' },
  ...rl('M25.561', 'M25.562', 'Pain in {s} knee'),
  { code: 'M25.569', text: 'Pain in unspecified knee' },
  ...rl('M25.571', 'M25.572', 'Pain in {s} ankle and joints of {s} foot'),
  // Stiffness and effusion of joint (M25.6, M25.4).
  ...rl('M25.611', 'M25.612', 'Stiffness of {s} shoulder, not elsewhere classified'),
  ...rl('M25.621', 'M25.622', 'Stiffness of {s} elbow, not elsewhere classified'),
  ...rl('M25.631', 'M25.632', 'Stiffness of {s} wrist, not elsewhere classified'),
  ...rl('M25.651', 'M25.652', 'Stiffness of {s} hip, not elsewhere classified'),
  ...rl('M25.661', 'M25.662', 'Stiffness of {s} knee, not elsewhere classified'),
  ...rl('M25.671', 'M25.672', 'Stiffness of {s} ankle, not elsewhere classified'),
  ...rl('M25.461', 'M25.462', 'Effusion, {s} knee'),
  // Shoulder lesions (M75).
  { code: 'M75.00', text: 'Adhesive capsulitis of unspecified shoulder' },
  ...rl('M75.01', 'M75.02', 'Adhesive capsulitis of {s} shoulder'),
  ...rl('M75.101', 'M75.102', 'Unspecified rotator cuff tear or rupture of {s} shoulder, not specified as traumatic'),
  ...rl('M75.111', 'M75.112', 'Incomplete rotator cuff tear or rupture of {s} shoulder, not specified as traumatic'),
  ...rl('M75.121', 'M75.122', 'Complete rotator cuff tear or rupture of {s} shoulder, not specified as traumatic'),
  ...rl('M75.21', 'M75.22', 'Bicipital tendinitis, {s} shoulder'),
  ...rl('M75.31', 'M75.32', 'Calcific tendinitis of {s} shoulder'),
  { code: 'M75.40', text: 'Impingement syndrome of unspecified shoulder' },
  ...rl('M75.41', 'M75.42', 'Impingement syndrome of {s} shoulder'),
  ...rl('M75.51', 'M75.52', 'Bursitis of {s} shoulder'),
  ...rl('M75.81', 'M75.82', 'Other shoulder lesions, {s} shoulder'),
  ...rl('M75.91', 'M75.92', 'Shoulder lesion, unspecified, {s} shoulder'),
  // Osteoarthritis (M16, M17, M18, M19).
  ...lines(`
    M16.0 Bilateral primary osteoarthritis of hip
    M16.10 Unilateral primary osteoarthritis, unspecified hip
    M16.11 Unilateral primary osteoarthritis, right hip
    M16.12 Unilateral primary osteoarthritis, left hip
    M16.4 Bilateral post-traumatic osteoarthritis of hip
    M16.51 Unilateral post-traumatic osteoarthritis, right hip
    M16.52 Unilateral post-traumatic osteoarthritis, left hip
    M16.9 Osteoarthritis of hip, unspecified
    M17.0 Bilateral primary osteoarthritis of knee
    M17.10 Unilateral primary osteoarthritis, unspecified knee
    M17.11 Unilateral primary osteoarthritis, right knee
    M17.12 Unilateral primary osteoarthritis, left knee
    M17.2 Bilateral post-traumatic osteoarthritis of knee
    M17.31 Unilateral post-traumatic osteoarthritis, right knee
    M17.32 Unilateral post-traumatic osteoarthritis, left knee
    M17.4 Other bilateral secondary osteoarthritis of knee
    M17.5 Other unilateral secondary osteoarthritis of knee
    M17.9 Osteoarthritis of knee, unspecified
    M18.0 Bilateral primary osteoarthritis of first carpometacarpal joints
    M18.11 Unilateral primary osteoarthritis of first carpometacarpal joint, right hand
    M18.12 Unilateral primary osteoarthritis of first carpometacarpal joint, left hand
    M19.011 Primary osteoarthritis, right shoulder
    M19.012 Primary osteoarthritis, left shoulder
    M19.041 Primary osteoarthritis, right hand
    M19.042 Primary osteoarthritis, left hand
    M19.071 Primary osteoarthritis, right ankle and foot
    M19.072 Primary osteoarthritis, left ankle and foot
    M19.90 Unspecified osteoarthritis, unspecified site
    M06.9 Rheumatoid arthritis, unspecified
  `),
  // Knee and foot disorders.
  ...rl('M22.2X1', 'M22.2X2', 'Patellofemoral disorders, {s} knee'),
  ...rl('M22.41', 'M22.42', 'Chondromalacia patellae, {s} knee'),
  ...rl('M21.371', 'M21.372', 'Foot drop, {s} foot'),
  ...rl('M21.611', 'M21.612', 'Bunion of {s} foot'),
  // Soft tissue: bursitis (M70), enthesopathies (M76, M77), synovium and tendon (M65), fascia (M72).
  ...rl('M70.21', 'M70.22', 'Olecranon bursitis, {s} elbow'),
  ...rl('M70.41', 'M70.42', 'Prepatellar bursitis, {s} knee'),
  ...rl('M70.51', 'M70.52', 'Other bursitis of knee, {s} knee'),
  { code: 'M70.60', text: 'Trochanteric bursitis, unspecified hip' },
  ...rl('M70.61', 'M70.62', 'Trochanteric bursitis, {s} hip'),
  ...rl('M70.71', 'M70.72', 'Other bursitis of hip, {s} hip'),
  ...rl('M76.31', 'M76.32', 'Iliotibial band syndrome, {s} leg'),
  ...rl('M76.51', 'M76.52', 'Patellar tendinitis, {s} knee'),
  ...rl('M76.61', 'M76.62', 'Achilles tendinitis, {s} leg'),
  ...rl('M76.821', 'M76.822', 'Posterior tibial tendinitis, {s} leg'),
  ...rl('M77.01', 'M77.02', 'Medial epicondylitis, {s} elbow'),
  { code: 'M77.10', text: 'Lateral epicondylitis, unspecified elbow' },
  ...rl('M77.11', 'M77.12', 'Lateral epicondylitis, {s} elbow'),
  ...rl('M77.31', 'M77.32', 'Calcaneal spur, {s} foot'),
  ...rl('M77.41', 'M77.42', 'Metatarsalgia, {s} foot'),
  { code: 'M77.9', text: 'Enthesopathy, unspecified' },
  { code: 'M65.4', text: 'Radial styloid tenosynovitis [de Quervain]' },
  { code: 'M65.30', text: 'Trigger finger, unspecified finger' },
  ...rl('M65.311', 'M65.312', 'Trigger thumb, {s} thumb'),
  { code: 'M72.0', text: 'Palmar fascial fibromatosis [Dupuytren]' },
  { code: 'M72.2', text: 'Plantar fascial fibromatosis' },
  // Muscle and other soft tissue (M62, M79), bone density (M81).
  ...lines(`
    M62.81 Muscle weakness (generalized)
    M62.830 Muscle spasm of back
    M62.831 Muscle spasm of calf
    M62.838 Other muscle spasm
    M62.89 Other specified disorders of muscle
    M79.10 Myalgia, unspecified site
    M79.18 Myalgia, other site
    M79.2 Neuralgia and neuritis, unspecified
    M79.7 Fibromyalgia
    M79.89 Other specified soft tissue disorders
    M79.606 Pain in leg, unspecified
    M79.609 Pain in unspecified limb
    M81.0 Age-related osteoporosis without current pathological fracture
  `),
  ...rl('M79.601', 'M79.602', 'Pain in {s} arm'),
  ...rl('M79.604', 'M79.605', 'Pain in {s} leg'),
  ...rl('M79.621', 'M79.622', 'Pain in {s} upper arm'),
  ...rl('M79.631', 'M79.632', 'Pain in {s} forearm'),
  ...rl('M79.641', 'M79.642', 'Pain in {s} hand'),
  ...rl('M79.651', 'M79.652', 'Pain in {s} thigh'),
  ...rl('M79.661', 'M79.662', 'Pain in {s} lower leg'),
  ...rl('M79.671', 'M79.672', 'Pain in {s} foot'),
  // Injuries, initial encounter (7th character A). Neck and back.
  ...lines(`
    S13.4XXA Sprain of ligaments of cervical spine, initial encounter
    S16.1XXA Strain of muscle, fascia and tendon at neck level, initial encounter
    S23.3XXA Sprain of ligaments of thoracic spine, initial encounter
    S29.012A Strain of muscle and tendon of back wall of thorax, initial encounter
    S33.5XXA Sprain of ligaments of lumbar spine, initial encounter
    S33.6XXA Sprain of sacroiliac joint, initial encounter
    S39.012A Strain of muscle, fascia and tendon of lower back, initial encounter
  `),
  // Shoulder and upper arm.
  ...rl('S43.401A', 'S43.402A', 'Unspecified sprain of {s} shoulder joint, initial encounter'),
  ...rl('S43.421A', 'S43.422A', 'Sprain of {s} rotator cuff capsule, initial encounter'),
  ...rl('S43.431A', 'S43.432A', 'Superior glenoid labrum lesion of {s} shoulder, initial encounter'),
  ...rl('S43.51XA', 'S43.52XA', 'Sprain of {s} acromioclavicular joint, initial encounter'),
  ...rl('S43.004A', 'S43.005A', 'Unspecified dislocation of {s} shoulder joint, initial encounter'),
  ...rl('S46.011A', 'S46.012A', 'Strain of muscle(s) and tendon(s) of the rotator cuff of {s} shoulder, initial encounter'),
  ...rl('S46.111A', 'S46.112A', 'Strain of muscle, fascia and tendon of long head of biceps, {s} arm, initial encounter'),
  ...rl('S46.911A', 'S46.912A', 'Strain of unspecified muscle, fascia and tendon at shoulder and upper arm level, {s} arm, initial encounter'),
  ...rl('S42.001A', 'S42.002A', 'Fracture of unspecified part of {s} clavicle, initial encounter for closed fracture'),
  ...rl('S42.201A', 'S42.202A', 'Unspecified fracture of upper end of {s} humerus, initial encounter for closed fracture'),
  // Elbow, wrist and hand.
  ...rl('S53.401A', 'S53.402A', 'Unspecified sprain of {s} elbow, initial encounter'),
  ...rl('S52.501A', 'S52.502A', 'Unspecified fracture of the lower end of {s} radius, initial encounter for closed fracture'),
  ...rl('S52.531A', 'S52.532A', "Colles' fracture of {s} radius, initial encounter for closed fracture"),
  ...rl('S63.501A', 'S63.502A', 'Unspecified sprain of {s} wrist, initial encounter'),
  ...rl('S63.601A', 'S63.602A', 'Unspecified sprain of {s} thumb, initial encounter'),
  // Hip and thigh.
  ...rl('S73.101A', 'S73.102A', 'Unspecified sprain of {s} hip, initial encounter'),
  ...rl('S76.011A', 'S76.012A', 'Strain of muscle, fascia and tendon of {s} hip, initial encounter'),
  ...rl('S76.111A', 'S76.112A', 'Strain of {s} quadriceps muscle, fascia and tendon, initial encounter'),
  ...rl('S76.211A', 'S76.212A', 'Strain of adductor muscle, fascia and tendon of {s} thigh, initial encounter'),
  ...rl('S76.311A', 'S76.312A', 'Strain of muscle, fascia and tendon of the posterior muscle group at thigh level, {s} thigh, initial encounter'),
  ...rl('S72.001A', 'S72.002A', 'Fracture of unspecified part of neck of {s} femur, initial encounter for closed fracture'),
  ...rl('S72.141A', 'S72.142A', 'Displaced intertrochanteric fracture of {s} femur, initial encounter for closed fracture'),
  // Knee and lower leg.
  ...rl('S83.401A', 'S83.402A', 'Sprain of unspecified collateral ligament of {s} knee, initial encounter'),
  ...rl('S83.411A', 'S83.412A', 'Sprain of medial collateral ligament of {s} knee, initial encounter'),
  ...rl('S83.421A', 'S83.422A', 'Sprain of lateral collateral ligament of {s} knee, initial encounter'),
  ...rl('S83.501A', 'S83.502A', 'Sprain of unspecified cruciate ligament of {s} knee, initial encounter'),
  ...rl('S83.511A', 'S83.512A', 'Sprain of anterior cruciate ligament of {s} knee, initial encounter'),
  ...rl('S83.521A', 'S83.522A', 'Sprain of posterior cruciate ligament of {s} knee, initial encounter'),
  ...rl('S83.91XA', 'S83.92XA', 'Sprain of unspecified site of {s} knee, initial encounter'),
  ...rl('S83.211A', 'S83.212A', 'Bucket-handle tear of medial meniscus, current injury, {s} knee, initial encounter'),
  ...rl('S83.231A', 'S83.232A', 'Complex tear of medial meniscus, current injury, {s} knee, initial encounter'),
  ...rl('S83.241A', 'S83.242A', 'Other tear of medial meniscus, current injury, {s} knee, initial encounter'),
  ...rl('S83.271A', 'S83.272A', 'Complex tear of lateral meniscus, current injury, {s} knee, initial encounter'),
  ...rl('S83.281A', 'S83.282A', 'Other tear of lateral meniscus, current injury, {s} knee, initial encounter'),
  ...rl('S82.001A', 'S82.002A', 'Unspecified fracture of {s} patella, initial encounter for closed fracture'),
  ...rl('S82.201A', 'S82.202A', 'Unspecified fracture of shaft of {s} tibia, initial encounter for closed fracture'),
  ...rl('S82.841A', 'S82.842A', 'Displaced bimalleolar fracture of {s} lower leg, initial encounter for closed fracture'),
  ...rl('S82.851A', 'S82.852A', 'Displaced trimalleolar fracture of {s} lower leg, initial encounter for closed fracture'),
  ...rl('S82.891A', 'S82.892A', 'Other fracture of {s} lower leg, initial encounter for closed fracture'),
  ...rl('S86.011A', 'S86.012A', 'Strain of {s} Achilles tendon, initial encounter'),
  ...rl('S86.111A', 'S86.112A', 'Strain of other muscle(s) and tendon(s) of posterior muscle group at lower leg level, {s} leg, initial encounter'),
  // Ankle and foot.
  ...rl('S93.401A', 'S93.402A', 'Sprain of unspecified ligament of {s} ankle, initial encounter'),
  ...rl('S93.411A', 'S93.412A', 'Sprain of calcaneofibular ligament of {s} ankle, initial encounter'),
  ...rl('S93.421A', 'S93.422A', 'Sprain of deltoid ligament of {s} ankle, initial encounter'),
  ...rl('S93.431A', 'S93.432A', 'Sprain of tibiofibular ligament of {s} ankle, initial encounter'),
  ...rl('S93.491A', 'S93.492A', 'Sprain of other ligament of {s} ankle, initial encounter'),
  ...rl('S93.601A', 'S93.602A', 'Unspecified sprain of {s} foot, initial encounter'),
  ...rl('S92.301A', 'S92.302A', 'Fracture of unspecified metatarsal bone(s), {s} foot, initial encounter for closed fracture'),
  // Symptoms and signs (R).
  ...lines(`
    R26.0 Ataxic gait
    R26.1 Paralytic gait
    R26.2 Difficulty in walking, not elsewhere classified
    R26.81 Unsteadiness on feet
    R26.89 Other abnormalities of gait and mobility
    R26.9 Unspecified abnormalities of gait and mobility
    R27.0 Ataxia, unspecified
    R27.8 Other lack of coordination
    R29.3 Abnormal posture
    R29.6 Repeated falls
    R29.898 Other symptoms and signs involving the musculoskeletal system
    R20.2 Paresthesia of skin
    R25.2 Cramp and spasm
    R42 Dizziness and giddiness
    R51.9 Headache, unspecified
    R52 Pain, unspecified
    R53.1 Weakness
    R60.0 Localized edema
  `),
  // Nervous system (G) and vestibular (H).
  ...lines(`
    G89.11 Acute pain due to trauma
    G89.18 Other acute postprocedural pain
    G89.28 Other chronic postprocedural pain
    G89.29 Other chronic pain
    G89.4 Chronic pain syndrome
    G56.03 Carpal tunnel syndrome, bilateral upper limbs
    G81.91 Hemiplegia, unspecified affecting right dominant side
    G81.92 Hemiplegia, unspecified affecting left dominant side
    G81.93 Hemiplegia, unspecified affecting right nondominant side
    G81.94 Hemiplegia, unspecified affecting left nondominant side
    H81.13 Benign paroxysmal vertigo, bilateral
    I69.351 Hemiplegia and hemiparesis following cerebral infarction affecting right dominant side
    I69.352 Hemiplegia and hemiparesis following cerebral infarction affecting left dominant side
    I69.353 Hemiplegia and hemiparesis following cerebral infarction affecting right non-dominant side
    I69.354 Hemiplegia and hemiparesis following cerebral infarction affecting left non-dominant side
  `),
  ...rl('G56.01', 'G56.02', 'Carpal tunnel syndrome, {s} upper limb'),
  ...rl('G56.21', 'G56.22', 'Lesion of ulnar nerve, {s} upper limb'),
  ...rl('G57.01', 'G57.02', 'Lesion of sciatic nerve, {s} lower limb'),
  ...rl('G57.11', 'G57.12', 'Meralgia paresthetica, {s} lower limb'),
  ...rl('G57.51', 'G57.52', 'Tarsal tunnel syndrome, {s} lower limb'),
  ...rl('H81.11', 'H81.12', 'Benign paroxysmal vertigo, {s} ear'),
  // Factors influencing health status (Z): joint replacement, aftercare, amputation, falls.
  ...rl('Z96.611', 'Z96.612', 'Presence of {s} artificial shoulder joint'),
  ...rl('Z96.641', 'Z96.642', 'Presence of {s} artificial hip joint'),
  { code: 'Z96.643', text: 'Presence of artificial hip joint, bilateral' },
  ...rl('Z96.651', 'Z96.652', 'Presence of {s} artificial knee joint'),
  { code: 'Z96.653', text: 'Presence of artificial knee joint, bilateral' },
  ...rl('Z89.511', 'Z89.512', 'Acquired absence of {s} leg below knee'),
  ...rl('Z89.611', 'Z89.612', 'Acquired absence of {s} leg above knee'),
  ...lines(`
    Z47.1 Aftercare following joint replacement surgery
    Z47.89 Encounter for other orthopedic aftercare
    Z51.89 Encounter for other specified aftercare
    Z91.81 History of falling
    Z74.09 Other reduced mobility
    Z98.890 Other specified postprocedural states
  `),
];

interface Indexed {
  readonly entry: Icd10Code;
  /** The code in lowercase without its dot ("m25561"). */
  readonly key: string;
  /** The description's words in lowercase. */
  readonly words: readonly string[];
}

const bare = (s: string) => s.toLowerCase().replaceAll('.', '');
const INDEX: readonly Indexed[] = ICD10_CODES.map((entry) => ({
  entry,
  key: bare(entry.code),
  words: entry.text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean),
}));

/**
 * Codes whose code or words match the query, best first (at most `limit`): first the codes that
 * start with the query (case-insensitive, with or without the dot: "m25561" finds M25.561), then
 * the codes whose every query word starts a word of the description or the code (in any order).
 * Both groups keep the list's order, so the same query always gives the same answer.
 */
export function searchIcd10(query: string, limit = 20): Icd10Code[] {
  const q = query.trim().toLowerCase();
  if (q === '' || limit <= 0) return [];
  const asCode = bare(q.replaceAll(/\s+/g, ''));
  const terms = q.split(/[^a-z0-9.]+/).filter(Boolean);
  const byCode: Icd10Code[] = [];
  const byWords: Icd10Code[] = [];
  for (const row of INDEX) {
    if (asCode !== '' && row.key.startsWith(asCode)) byCode.push(row.entry);
    else if (terms.length > 0 && terms.every((t) => row.key.startsWith(bare(t)) || row.words.some((w) => w.startsWith(t)))) byWords.push(row.entry);
  }
  return [...byCode, ...byWords].slice(0, limit);
}
