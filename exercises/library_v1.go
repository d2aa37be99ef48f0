package exercises

import (
	"slices"

	"backdesk"
)

// Sources that informed the exercises. Each is cited as what the text draws
// on, not as a quotation.
const (
	srcNG59         = "NICE guideline NG59: Low back pain and sciatica in over 16s: assessment and management (2016, updated 2020)"
	srcHayden       = "Hayden JA et al. Exercise therapy for chronic low back pain. Cochrane Database Syst Rev 2021;CD009790"
	srcNHS          = "NHS website: Back pain (nhs.uk/conditions/back-pain)"
	srcNHSInform    = "NHS inform: Exercises for back pain (nhsinform.scot)"
	srcNHSBreathing = "NHS website: Breathing exercises for stress (nhs.uk, Every Mind Matters)"
	srcMcKenzie     = "McKenzie R, May S. The Lumbar Spine: Mechanical Diagnosis and Therapy, 2nd ed. Spinal Publications, 2003"
	srcMcGill       = "McGill S. Low Back Disorders: Evidence-Based Prevention and Rehabilitation, 3rd ed. Human Kinetics, 2016"
	srcRichardson   = "Richardson C, Jull G, Hodges P, Hides J. Therapeutic Exercise for Spinal Segmental Stabilization in Low Back Pain. Churchill Livingstone, 1999"
	srcDiStefano    = "DiStefano LJ et al. Gluteal muscle activation during common therapeutic exercises. J Orthop Sports Phys Ther 2009;39(7):532–540"
	srcButler       = "Butler DS. Mobilisation of the Nervous System. Churchill Livingstone, 1991"
	srcShacklock    = "Shacklock M. Clinical Neurodynamics: A New System of Musculoskeletal Treatment. Elsevier, 2005"
	srcBasson       = "Basson A et al. The effectiveness of neural mobilization for neuromusculoskeletal conditions: a systematic review and meta-analysis. J Orthop Sports Phys Ther 2017;47(9):593–615"
	srcWalkBack     = "Pocovi NC et al. Effectiveness and cost-effectiveness of an individualised, progressive walking and education intervention for the prevention of low back pain recurrence in Australia (WalkBack): a randomised controlled trial. Lancet 2024;404(10448):134–144"
	srcHSE          = "Health and Safety Executive: Working safely with display screen equipment (hse.gov.uk)"
	srcLindstrom    = "Lindström I et al. The effect of graded activity on patients with subacute low back pain: a randomized prospective clinical study with an operant-conditioning behavioral approach. Phys Ther 1992;72(4):279–290"
	srcMacedo       = "Macedo LG et al. Graded activity and graded exposure for persistent nonspecific low back pain: a systematic review. Phys Ther 2010;90(6):860–879"
	srcJacobson     = "Jacobson E. Progressive Relaxation. University of Chicago Press, 1929"
	srcBernstein    = "Bernstein DA, Borkovec TD. Progressive Relaxation Training: A Manual for the Helping Professions. Research Press, 1973"
	srcKabatZinn    = "Kabat-Zinn J. Full Catastrophe Living. Delacorte, 1990"
	srcCherkin      = "Cherkin DC et al. Effect of mindfulness-based stress reduction vs cognitive behavioral therapy or usual care on back pain and functional limitations in adults with chronic low back pain: a randomized clinical trial. JAMA 2016;315(12):1240–1249"
)

// Reasons to stop that every exercise carries, the red flags last.
var stopAlways = []string{
	"New or spreading numbness, or pins and needles, in a leg or foot, or pain that travels further down your leg: stop, and ask your physiotherapist before doing it again.",
	"New weakness in a leg or foot, for example your foot catching or slapping as you walk: stop, and get medical help straight away.",
	"Pain that stays worse than usual for more than a couple of hours afterwards, or is worse the next morning: do less next time, and tell your physiotherapist.",
	"Numbness or tingling around your bottom or genitals (the saddle area), new problems passing urine or controlling your bladder or bowels, or weakness in both legs: stop and get emergency medical help straight away. These can be signs of pressure on the nerves at the base of the spine.",
}

const stopSharp = "Sharp or stabbing pain, or pain that keeps building as you go rather than easing: stop, and try a smaller movement next time."

// moving is the stop list of a movement exercise: its own reasons, sharp
// pain, then the reasons every exercise carries.
func moving(own ...string) []string {
	return slices.Concat(own, []string{stopSharp}, stopAlways)
}

// resting is the stop list of a relaxation or breathing exercise.
func resting(own ...string) []string {
	return slices.Concat(own, stopAlways)
}

// Cautions shared by several exercises.
const (
	cautionPregnancyBack  = "From about 16 weeks of pregnancy, avoid lying flat on your back for long; your physiotherapist can suggest another position."
	cautionPregnancyFront = "Not for later pregnancy, when lying on your front presses on the bump."
	cautionFlexion        = "If you have osteoporosis or have had a fracture in your spine, ask your physiotherapist before doing this: bending forward puts more load on the bones of the spine."
	cautionExtension      = "If you have been told you have spinal stenosis or a slipped vertebra (spondylolisthesis), do this only if your physiotherapist has advised it: bending backwards can bring on leg symptoms."
	cautionHipReplacement = "If you have had a hip replacement, check with your surgeon or physiotherapist first: some hip positions are not allowed in the first months."
	cautionKneeling       = "If kneeling hurts your knees, put a folded towel or cushion under them."
	cautionWrists         = "If your wrists hurt, rest on your fists or your forearms instead."
	cautionBalance        = "If your balance is not good, have something sturdy to hold, or someone with you."
	cautionHeart          = "If you have a heart or lung condition, follow your doctor's advice on how hard to exercise."
	cautionNerveAdvised   = "Do this only if your physiotherapist has suggested it for your leg symptoms."
	cautionNerveWorsening = "If your leg symptoms are getting worse day by day, or you have numbness or weakness in the leg, see your physiotherapist or doctor before doing nerve glides."
)

// Stop reasons shared by several exercises.
const (
	stopNerveGlide = "Pins and needles, burning, numbness or a strong pulling in the leg, during the glide or afterwards: make the movement smaller, and stop if it carries on."
	stopNerveLater = "Leg symptoms that are worse later that day or the next morning: stop the glides and tell your physiotherapist."
	stopHeart      = "Chest pain, feeling faint, or being so short of breath that you cannot speak: stop and get medical help."
	stopKnee       = "Pain in your knee: make the movement smaller, and leave it out if the pain carries on."
)

// V1 is the first published exercise library, version 2026.1. It is
// frozen: change it only by adding a new version beside it.
var V1 = &backdesk.ExerciseLibrary{Version: "2026.1", Exercises: []backdesk.Exercise{
	// --- Mobility ---
	{
		ID: "knee-to-chest", Name: "Knee to chest", Category: backdesk.CategoryMobility,
		Purpose: "Gently bends the lower back and stretches the muscles of the lower back and buttock. It often eases stiffness first thing in the morning.",
		Steps: []string{
			"Lie on your back on a firm bed or the floor, with your knees bent and your feet flat. Use a thin pillow under your head if you like.",
			"Hold behind one thigh, just below the knee, with both hands.",
			"Slowly bring that knee towards your chest until you feel a gentle stretch in your lower back or buttock. Let the other leg rest, bent or straight.",
			"Hold it there and keep breathing normally.",
			"Lower the foot slowly back to the floor, then do the same with the other leg.",
		},
		Dosage:       backdesk.Dosage{Sets: 1, Reps: 3, HoldSeconds: 20, EachSide: true, TimesPerDay: 2},
		Feel:         "A gentle stretch across your lower back or in your buttock that eases as you hold it.",
		StopIf:       moving(),
		Cautions:     []string{cautionFlexion, cautionHipReplacement, cautionPregnancyBack},
		Illustration: "knee-to-chest.svg",
		Sources:      []string{srcNG59, srcHayden, srcNHS},
	},
	{
		ID: "pelvic-tilt", Name: "Pelvic tilt", Category: backdesk.CategoryMobility,
		Purpose: "Small, gentle rocking movements of the lower back that ease stiffness and help you feel and control the position of your pelvis.",
		Steps: []string{
			"Lie on your back with your knees bent, feet flat and hip-width apart, and your arms by your sides.",
			"Gently flatten your lower back against the floor by tightening your tummy muscles and tipping your pelvis back, as if tucking your tailbone under.",
			"Hold for the time in your plan, breathing normally.",
			"Relax, then let your lower back arch a little, so there is a small gap between it and the floor.",
			"Rock slowly between the two positions, staying well within what is comfortable.",
		},
		Dosage: backdesk.Dosage{Sets: 1, Reps: 10, HoldSeconds: 5, TimesPerDay: 2},
		Feel:   "Easy movement in your lower back and gentle work in your tummy muscles.",
		StopIf: moving(),
		Cautions: []string{
			"You can also do this sitting on a firm chair, or standing with your back against a wall.",
			cautionPregnancyBack,
		},
		Illustration: "pelvic-tilt.svg",
		Sources:      []string{srcNHSInform, srcNG59, srcHayden},
	},
	{
		ID: "cat-camel", Name: "Cat and camel (back arch and dip)", Category: backdesk.CategoryMobility,
		Purpose: "Moves the whole spine gently through bending and arching, on your hands and knees. A good warm-up before other exercises.",
		Steps: []string{
			"Kneel on all fours with your hands under your shoulders and your knees under your hips.",
			"Breathe out and slowly round your back up towards the ceiling, letting your head drop down.",
			"Then slowly let your back dip down and lift your head to look ahead, without forcing it.",
			"Move smoothly between the two positions, only as far as is comfortable. Do not hold at either end.",
		},
		Dosage:       backdesk.Dosage{Sets: 1, Reps: 8, TimesPerDay: 2},
		Feel:         "An easy movement along your back, like a cat stretching, which often feels looser as you go.",
		StopIf:       moving(),
		Cautions:     []string{cautionKneeling, cautionWrists},
		Illustration: "cat-camel.svg",
		Sources:      []string{srcMcGill, srcHayden},
	},
	{
		ID: "lower-trunk-rotation", Name: "Knee rolls (lower back rotation)", Category: backdesk.CategoryMobility,
		Purpose: "Gently turns the lower back from side to side to ease stiffness.",
		Steps: []string{
			"Lie on your back with your knees bent and your feet flat and together. Rest your arms out to the sides.",
			"Keeping your shoulders on the floor, slowly let both knees roll to one side, only as far as is comfortable.",
			"Bring them back to the middle, using your tummy muscles.",
			"Roll them to the other side, then back to the middle. That is one repetition.",
		},
		Dosage:       backdesk.Dosage{Sets: 1, Reps: 10, TimesPerDay: 2},
		Feel:         "A gentle turning stretch in your lower back and the side of your hips.",
		StopIf:       moving(),
		Cautions:     []string{cautionHipReplacement, cautionPregnancyBack},
		Illustration: "lower-trunk-rotation.svg",
		Sources:      []string{srcNHSInform, srcNHS, srcNG59},
	},
	{
		ID: "prone-press-up", Name: "Press-up lying on your front", Category: backdesk.CategoryMobility,
		Purpose: "Gently arches the lower back. For some people, often those whose pain is worse with sitting and bending, it helps pain settle or move out of the leg towards the back. Your physiotherapist will tell you whether it suits you.",
		Steps: []string{
			"Lie on your front on a firm surface, with your hands flat on the floor under your shoulders.",
			"If you are stiff, start by resting up on your elbows for a minute instead.",
			"Keeping your hips and legs relaxed on the floor, slowly straighten your arms to lift your chest, only as far as is comfortable.",
			"Let your lower back and tummy sag; your hips stay on the floor.",
			"Pause for a second or two at the top, then lower yourself slowly.",
		},
		Dosage: backdesk.Dosage{Sets: 1, Reps: 10, TimesPerDay: 2},
		Feel:   "Pressure or a stretch in the middle of your lower back. If pain in your buttock or leg moves up towards your back as you repeat it, that is usually a good sign.",
		StopIf: moving(),
		Cautions: []string{
			cautionExtension,
			"If lying on your front is too sore, start with the standing back bend.",
			cautionPregnancyFront,
		},
		Illustration: "prone-press-up.svg",
		Sources:      []string{srcMcKenzie, srcNG59},
	},
	{
		ID: "standing-back-extension", Name: "Standing back bend", Category: backdesk.CategoryMobility,
		Purpose: "A small backward bend you can do anywhere, to undo long spells of sitting or bending forward.",
		Steps: []string{
			"Stand up straight with your feet hip-width apart, near a worktop or wall in case you need to steady yourself.",
			"Put your hands on your lower back, just above your buttocks, fingers pointing down.",
			"Slowly lean backwards, supported by your hands, as far as is comfortable. Keep your knees straight but not locked.",
			"Pause for a second or two, then come back upright.",
		},
		Dosage:       backdesk.Dosage{Sets: 1, Reps: 5, TimesPerDay: 3},
		Feel:         "Mild pressure or a stretch in your lower back that goes when you stand up straight again.",
		StopIf:       moving("Dizziness: stop, and hold on to something until it passes."),
		Cautions:     []string{cautionExtension, cautionBalance},
		Illustration: "standing-back-extension.svg",
		Sources:      []string{srcMcKenzie, srcNHSInform},
	},

	// --- Stretches ---
	{
		ID: "childs-pose", Name: "Child's pose (kneeling back stretch)", Category: backdesk.CategoryStretch,
		Purpose: "A restful stretch for the lower back, buttocks and hips, done kneeling.",
		Steps: []string{
			"Kneel on all fours on a mat or carpet, with your knees a little apart.",
			"Slowly sit back towards your heels, letting your hands slide forward along the floor.",
			"Let your head and chest sink towards the floor and your back relax. Your bottom does not need to reach your heels.",
			"Stay there and breathe slowly.",
			"To come up, walk your hands back towards your knees and return to all fours.",
		},
		Dosage: backdesk.Dosage{Sets: 1, Reps: 3, HoldSeconds: 30, TimesPerDay: 1},
		Feel:   "A gentle stretch along your back and in your buttocks, and a sense of letting go.",
		StopIf: moving(stopKnee),
		Cautions: []string{
			"If your knees are painful, put a pillow between your heels and your bottom, or leave this exercise out.",
			cautionFlexion,
			cautionHipReplacement,
			"In pregnancy, keep your knees wide apart to make room for the bump.",
		},
		Illustration: "childs-pose.svg",
		Sources:      []string{srcNHS, srcHayden},
	},
	{
		ID: "hamstring-strap-stretch", Name: "Hamstring stretch with a strap", Category: backdesk.CategoryStretch,
		Purpose: "Stretches the muscles at the back of the thigh, which can pull on the pelvis and lower back when they are tight, while your back rests on the floor.",
		Steps: []string{
			"Lie on your back with both knees bent and your feet flat. Loop a towel, belt or strap around the sole of one foot.",
			"Holding the ends of the strap, lift that leg up, with the knee still a little bent.",
			"Slowly straighten the knee and draw the leg towards you until you feel a stretch at the back of the thigh. Keep your head and lower back relaxed on the floor.",
			"Hold it, breathing normally. Do not bounce.",
			"Lower the leg slowly, then do the same with the other leg.",
		},
		Dosage: backdesk.Dosage{Sets: 1, Reps: 3, HoldSeconds: 30, EachSide: true, TimesPerDay: 1},
		Feel:   "A steady stretch at the back of your thigh.",
		StopIf: moving("Tingling, burning or a pulling feeling in your calf or foot: that is a nerve, not a muscle. Bend your knee more or lower the leg, and stop if it carries on."),
		Cautions: []string{
			"If you have sciatica, ask your physiotherapist first: this also stretches the sciatic nerve.",
			cautionPregnancyBack,
		},
		Illustration: "hamstring-strap-stretch.svg",
		Sources:      []string{srcNG59, srcHayden, srcNHS},
	},
	{
		ID: "glute-stretch", Name: "Buttock stretch (knee across to the opposite shoulder)", Category: backdesk.CategoryStretch,
		Purpose: "Stretches the muscles of the buttock, which often tighten with lower back pain.",
		Steps: []string{
			"Lie on your back with both legs straight, or with one knee bent if that is more comfortable.",
			"Bend one knee up and hold it with the opposite hand, your other hand resting on the floor.",
			"Gently draw the knee across your body towards the opposite shoulder until you feel a stretch in the buttock.",
			"Hold it, breathing normally, with both shoulders relaxed on the floor.",
			"Lower the leg slowly, then do the same with the other leg.",
		},
		Dosage: backdesk.Dosage{Sets: 1, Reps: 3, HoldSeconds: 30, EachSide: true, TimesPerDay: 1},
		Feel:   "A stretch deep in your buttock or on the outside of your hip.",
		StopIf: moving("A pinching pain at the front of your hip or in your groin: do not draw the knee so far."),
		Cautions: []string{
			"If you have had a hip replacement, do not do this unless your surgeon or physiotherapist has said it is safe: it takes the leg across the middle of the body.",
			cautionPregnancyBack,
		},
		Illustration: "glute-stretch.svg",
		Sources:      []string{srcNHS, srcNG59},
	},
	{
		ID: "figure-four-stretch", Name: "Figure-four buttock stretch (piriformis)", Category: backdesk.CategoryStretch,
		Purpose: "Stretches the deep muscles of the buttock, including the piriformis, which can feel tight or sore with back and buttock pain.",
		Steps: []string{
			"Lie on your back with both knees bent and your feet flat.",
			"Cross one ankle over the opposite knee, so that your legs make the shape of a number 4.",
			"Lift the foot of the uncrossed leg off the floor and hold behind that thigh with both hands.",
			"Gently draw that thigh towards you until you feel a stretch in the buttock of the crossed leg.",
			"Hold it, breathing normally, then lower slowly and do the same on the other side.",
			"If lying down is difficult, do the same stretch sitting on a chair: ankle on the opposite knee, then lean forward a little with a straight back.",
		},
		Dosage:       backdesk.Dosage{Sets: 1, Reps: 3, HoldSeconds: 30, EachSide: true, TimesPerDay: 1},
		Feel:         "A stretch deep in the buttock of the crossed leg.",
		StopIf:       moving("Pain in the knee of the crossed leg, or pinching at the front of the hip: ease off."),
		Cautions:     []string{cautionHipReplacement, cautionPregnancyBack},
		Illustration: "figure-four-stretch.svg",
		Sources:      []string{srcNG59, srcHayden},
	},

	// --- Core strength and control ---
	{
		ID: "abdominal-draw-in", Name: "Tummy tightening (abdominal draw-in)", Category: backdesk.CategoryCore,
		Purpose: "Teaches you to gently switch on the deep tummy muscles that support your lower back, so that you can use them in other exercises and everyday tasks.",
		Steps: []string{
			"Lie on your back with your knees bent and your feet flat. Let your back rest in its natural position, neither flattened nor arched.",
			"Rest a hand on your lower tummy, below your belly button.",
			"Breathe in, and as you breathe out, gently draw your lower tummy in and away from your hand. Your back should not move.",
			"Use only a small effort, not a hard squeeze, and keep breathing normally while you hold it. Do not hold your breath.",
			"Relax fully, then repeat.",
		},
		Dosage: backdesk.Dosage{Sets: 1, Reps: 10, HoldSeconds: 10, TimesPerDay: 2},
		Feel:   "A gentle tightening low down in your tummy while your breathing carries on.",
		StopIf: moving(),
		Cautions: []string{
			"After tummy or pelvic surgery, or after having a baby, check with your physiotherapist before starting.",
			"You can also do this sitting, standing or on all fours. " + cautionPregnancyBack,
		},
		Illustration: "abdominal-draw-in.svg",
		Sources:      []string{srcRichardson, srcHayden},
	},
	{
		ID: "heel-slide", Name: "Heel slides", Category: backdesk.CategoryCore,
		Purpose: "Trains your tummy muscles to keep your back steady while your legs move.",
		Steps: []string{
			"Lie on your back with your knees bent and your feet flat.",
			"Gently tighten your tummy muscles, as in tummy tightening.",
			"Slowly slide one heel along the floor until that leg is straight, keeping your back and pelvis still.",
			"Slide it back to the start, then do the same with the other leg.",
			"Keep breathing normally throughout.",
		},
		Dosage:       backdesk.Dosage{Sets: 2, Reps: 8, EachSide: true, TimesPerDay: 1},
		Feel:         "Gentle work in your tummy muscles while your back stays still and comfortable.",
		StopIf:       moving(),
		Cautions:     []string{cautionPregnancyBack},
		Illustration: "heel-slide.svg",
		Sources:      []string{srcRichardson, srcHayden},
	},
	{
		ID: "bent-knee-fall-out", Name: "Knee fall-outs", Category: backdesk.CategoryCore,
		Purpose: "Trains control of the pelvis and lower back while one leg moves out to the side.",
		Steps: []string{
			"Lie on your back with your knees bent and your feet flat, hip-width apart.",
			"Gently tighten your tummy muscles.",
			"Slowly let one knee lower out to the side, keeping the foot on the floor and your pelvis level: do not let it roll with the knee.",
			"Bring the knee back to the middle, then do the same with the other leg.",
		},
		Dosage: backdesk.Dosage{Sets: 2, Reps: 8, EachSide: true, TimesPerDay: 1},
		Feel:   "Gentle work in your tummy and inner thigh, with your pelvis staying steady.",
		StopIf: moving(),
		Cautions: []string{
			"If you have pain at the front of your pelvis, over the pubic bone (for example in pregnancy), leave this out.",
			cautionPregnancyBack,
		},
		Illustration: "bent-knee-fall-out.svg",
		Sources:      []string{srcRichardson, srcHayden},
	},
	{
		ID: "dead-bug", Name: "Dead bug", Category: backdesk.CategoryCore,
		Purpose: "Builds control of your tummy muscles while your arms and legs move, with your back supported by the floor.",
		Steps: []string{
			"Lie on your back with your knees bent and your feet flat. Lift both arms so that your hands point to the ceiling.",
			"Gently tighten your tummy muscles and keep your back in the same position throughout.",
			"Slowly lift one foot off the floor, bringing the knee up above the hip, and at the same time take the opposite arm back towards the floor behind your head.",
			"Return the arm and foot to the start, then do the same with the other arm and leg.",
			"Move slowly and keep breathing. When this is easy, your physiotherapist may show you a harder version.",
		},
		Dosage: backdesk.Dosage{Sets: 2, Reps: 6, EachSide: true, TimesPerDay: 1},
		Feel:   "Work in your tummy muscles while your lower back stays steady and comfortable.",
		StopIf: moving(),
		Cautions: []string{
			"If a shoulder is stiff or painful, keep your arms by your sides and move only your legs.",
			cautionPregnancyBack,
		},
		Illustration: "dead-bug.svg",
		Sources:      []string{srcHayden, srcNG59},
	},
	{
		ID: "bird-dog", Name: "Bird dog", Category: backdesk.CategoryCore,
		Purpose: "Strengthens the muscles along your back and around your hips while you keep your spine steady.",
		Steps: []string{
			"Kneel on all fours with your hands under your shoulders and your knees under your hips. Keep your back flat, like a table top, and look at the floor.",
			"Gently tighten your tummy muscles.",
			"Slowly slide one leg back and lift it until it is in line with your body, no higher.",
			"If you are steady, reach the opposite arm forward at the same time, in line with your body.",
			"Hold, keeping your back and hips level, then lower and do the same on the other side.",
			"If you wobble, practise with the leg alone until it feels steady.",
		},
		Dosage:       backdesk.Dosage{Sets: 2, Reps: 6, HoldSeconds: 5, EachSide: true, TimesPerDay: 1},
		Feel:         "Work in your back, buttock and shoulder muscles while your back stays steady.",
		StopIf:       moving(),
		Cautions:     []string{cautionKneeling, cautionWrists},
		Illustration: "bird-dog.svg",
		Sources:      []string{srcMcGill, srcHayden},
	},
	{
		ID: "side-plank-knees", Name: "Side plank on your knees", Category: backdesk.CategoryCore,
		Purpose: "Strengthens the muscles along the side of your trunk, which help hold your spine steady.",
		Steps: []string{
			"Lie on your side with your knees bent behind you, and prop yourself up on your forearm, with your elbow directly under your shoulder.",
			"Gently tighten your tummy muscles.",
			"Lift your hips off the floor so that your body is in a straight line from your knees to your head.",
			"Hold, breathing normally.",
			"Lower your hips slowly, rest, then turn over and do the other side.",
		},
		Dosage: backdesk.Dosage{Sets: 1, Reps: 3, HoldSeconds: 10, EachSide: true, TimesPerDay: 1},
		Feel:   "Work in the side of your trunk and hip, and some in the shoulder you lean on.",
		StopIf: moving("Pain in the shoulder you are leaning on: lower your hips and rest, and leave this out if it carries on."),
		Cautions: []string{
			"If you have a shoulder problem, ask your physiotherapist first, or leave this out.",
			"In pregnancy, ask your physiotherapist before doing this.",
		},
		Illustration: "side-plank-knees.svg",
		Sources:      []string{srcMcGill, srcHayden},
	},

	// --- Buttock strength ---
	{
		ID: "bridge", Name: "Bridge", Category: backdesk.CategoryGlute,
		Purpose: "Strengthens your buttock muscles and the backs of your thighs, which support your lower back when you stand, walk and lift.",
		Steps: []string{
			"Lie on your back with your knees bent, feet flat and hip-width apart, and your arms by your sides.",
			"Gently tighten your tummy and buttock muscles.",
			"Press your heels into the floor to lift your bottom until your body is in a line from your shoulders to your knees. Do not arch your back.",
			"Pause for a moment, then lower yourself slowly.",
		},
		Dosage:       backdesk.Dosage{Sets: 2, Reps: 10, TimesPerDay: 1, DaysPerWeek: 5},
		Feel:         "Work in your buttocks and the backs of your thighs. Cramp in the back of the thigh usually means your feet are too far away: bring them closer.",
		StopIf:       moving(),
		Cautions:     []string{cautionPregnancyBack},
		Illustration: "bridge.svg",
		Sources:      []string{srcHayden, srcNG59},
	},
	{
		ID: "single-leg-bridge", Name: "Single-leg bridge", Category: backdesk.CategoryGlute,
		Purpose: "A harder bridge that works each buttock on its own. Try it once the ordinary bridge feels easy.",
		Steps: []string{
			"Lie on your back with your knees bent, your feet flat and your arms by your sides.",
			"Straighten one knee so that leg is held up, in line with the other thigh.",
			"Gently tighten your tummy muscles, then press the heel on the floor down to lift your bottom.",
			"Keep your hips level: do not let one side drop.",
			"Lower slowly. Do all the repetitions, then change legs.",
		},
		Dosage: backdesk.Dosage{Sets: 2, Reps: 8, EachSide: true, TimesPerDay: 1, DaysPerWeek: 5},
		Feel:   "Strong work in the buttock and the back of the thigh of the leg on the floor.",
		StopIf: moving(),
		Cautions: []string{
			"Start this only when you can do 2 sets of 10 ordinary bridges comfortably.",
			cautionPregnancyBack,
		},
		Illustration: "single-leg-bridge.svg",
		Sources:      []string{srcHayden, srcNG59},
	},
	{
		ID: "clam", Name: "Clam", Category: backdesk.CategoryGlute,
		Purpose: "Strengthens the muscles at the side of your hip and buttock, which keep your pelvis level when you walk.",
		Steps: []string{
			"Lie on your side with your hips and knees bent and your heels in line with your bottom. Rest your head on your arm or a pillow.",
			"Put your top hand on your hip to check that it does not roll backwards.",
			"Keeping your feet together, slowly lift your top knee as far as you can without your pelvis rolling back.",
			"Pause, then lower the knee slowly.",
			"Do all the repetitions, then turn over and do the other side.",
		},
		Dosage:       backdesk.Dosage{Sets: 2, Reps: 10, EachSide: true, TimesPerDay: 1, DaysPerWeek: 5},
		Feel:         "Work in the side of the buttock of your top leg.",
		StopIf:       moving(),
		Cautions:     []string{cautionHipReplacement},
		Illustration: "clam.svg",
		Sources:      []string{srcDiStefano, srcHayden},
	},
	{
		ID: "side-lying-leg-raise", Name: "Side-lying leg lift", Category: backdesk.CategoryGlute,
		Purpose: "Strengthens the muscles at the side of your hip, which help you balance and walk evenly.",
		Steps: []string{
			"Lie on your side with your bottom knee bent for balance and your top leg straight, in line with your body.",
			"Keep the toes of your top leg pointing forwards, not up to the ceiling.",
			"Slowly lift the top leg, leading with the heel, to a little above hip height.",
			"Lower it slowly and under control.",
			"Do all the repetitions, then turn over and do the other side.",
		},
		Dosage:       backdesk.Dosage{Sets: 2, Reps: 10, EachSide: true, TimesPerDay: 1, DaysPerWeek: 5},
		Feel:         "Work in the side of your hip and buttock of the top leg.",
		StopIf:       moving(),
		Cautions:     []string{cautionHipReplacement},
		Illustration: "side-lying-leg-raise.svg",
		Sources:      []string{srcDiStefano, srcHayden},
	},

	// --- Hips and legs ---
	{
		ID: "kneeling-hip-flexor-stretch", Name: "Kneeling hip flexor stretch", Category: backdesk.CategoryHip,
		Purpose: "Stretches the front of the hip, which tightens with long hours of sitting and can pull the lower back into an arch.",
		Steps: []string{
			"Kneel on one knee on a cushion, with the other foot flat on the floor in front and that knee bent at a right angle. Hold on to a chair for balance if you need to.",
			"Gently tighten your tummy and tuck your tailbone under, so that your back does not arch.",
			"Keeping your body upright, shift your weight slowly forward until you feel a stretch at the front of the hip of the kneeling leg.",
			"Hold it, breathing normally, then ease back. Change legs.",
		},
		Dosage: backdesk.Dosage{Sets: 1, Reps: 3, HoldSeconds: 30, EachSide: true, TimesPerDay: 1},
		Feel:   "A stretch at the front of the hip and the top of the thigh of the kneeling leg.",
		StopIf: moving(stopKnee),
		Cautions: []string{
			"If kneeling is painful, ask your physiotherapist for a standing version.",
			cautionBalance,
		},
		Illustration: "kneeling-hip-flexor-stretch.svg",
		Sources:      []string{srcNG59, srcHayden},
	},
	{
		ID: "hip-hinge", Name: "Hip hinge (bending from the hips)", Category: backdesk.CategoryHip,
		Purpose: "Practises bending forward from your hips with a steady back, which many people with back pain find more comfortable for everyday tasks such as leaning over a basin or picking things up.",
		Steps: []string{
			"Stand tall with your feet hip-width apart and your knees slightly bent.",
			"Put your hands on the front of your hips.",
			"Push your bottom backwards, as if closing a drawer behind you, and let your body tip forward from the hips. Keep your back long and your head in line with it.",
			"Go only as far as you can keep your back the same shape, then push your hips forward to stand tall again, squeezing your buttocks at the top.",
		},
		Dosage:       backdesk.Dosage{Sets: 2, Reps: 10, TimesPerDay: 1},
		Feel:         "A stretch at the back of your thighs and work in your buttocks, while your back feels steady.",
		StopIf:       moving(),
		Cautions:     []string{"If you feel unsteady, stand in front of a worktop you can hold."},
		Illustration: "hip-hinge.svg",
		Sources:      []string{srcMcGill, srcHayden},
	},
	{
		ID: "sit-to-stand", Name: "Sit to stand", Category: backdesk.CategoryHip,
		Purpose: "Strengthens your legs and buttocks for getting up from a chair, the toilet or a car, which can be hard with back pain.",
		Steps: []string{
			"Sit near the front of a firm chair that cannot slide (stand it against a wall), with your feet flat, hip-width apart and slightly behind your knees.",
			"Cross your arms over your chest, or rest your hands on your thighs. Use the armrests at first if you need to.",
			"Lean forward from your hips, then press your feet into the floor to stand up tall.",
			"Sit back down slowly, lowering yourself with control rather than dropping.",
		},
		Dosage: backdesk.Dosage{Sets: 2, Reps: 8, TimesPerDay: 1},
		Feel:   "Work in your thighs and buttocks.",
		StopIf: moving(stopKnee, "Dizziness when you stand up: sit down and rest before trying again."),
		Cautions: []string{
			cautionBalance,
			"A higher seat makes it easier; a lower one makes it harder.",
		},
		Illustration: "sit-to-stand.svg",
		Sources:      []string{srcHayden, srcNG59},
	},
	{
		ID: "wall-sit", Name: "Wall sit (supported mini squat)", Category: backdesk.CategoryHip,
		Purpose: "Strengthens your thighs and buttocks with your back supported by a wall.",
		Steps: []string{
			"Stand with your back against a wall and your feet hip-width apart, about a foot in front of the wall.",
			"Gently tighten your tummy muscles.",
			"Slowly slide your back down the wall, bending your knees only a little to start: no more than a quarter of the way to sitting. Keep your knees in line with your toes.",
			"Hold, breathing normally.",
			"Slide back up slowly.",
		},
		Dosage:       backdesk.Dosage{Sets: 1, Reps: 5, HoldSeconds: 10, TimesPerDay: 1, DaysPerWeek: 5},
		Feel:         "Work in the front of your thighs.",
		StopIf:       moving(stopKnee),
		Cautions:     []string{"If you have knee problems, keep the bend very small, or ask your physiotherapist first."},
		Illustration: "wall-sit.svg",
		Sources:      []string{srcHayden},
	},

	// --- Nerve glides ---
	{
		ID: "seated-nerve-glide", Name: "Sitting nerve glide (sciatic nerve slider)", Category: backdesk.CategoryNerveGlide,
		Purpose: "Gently moves the sciatic nerve, the large nerve that runs down the back of the leg, which can help leg pain from an irritated nerve. It is meant to feel like very little.",
		Steps: []string{
			"Sit upright on a chair with your feet flat on the floor, and let your shoulders relax.",
			"Tip your head down, bringing your chin towards your chest.",
			"Slowly straighten one knee and, at the same time, lift your head to look straight ahead.",
			"Then bend the knee back down as you tip your head down again.",
			"Keep the movement smooth and easy, stopping well before any strong pulling, tingling or pain in the leg. Do not hold at either end.",
		},
		Dosage:       backdesk.Dosage{Sets: 1, Reps: 10, TimesPerDay: 2},
		Feel:         "A gentle movement in the leg, or hardly anything. A slight pull at the back of the leg that goes as soon as you bend the knee is fine.",
		StopIf:       moving(stopNerveGlide, stopNerveLater),
		Cautions:     []string{cautionNerveAdvised, cautionNerveWorsening},
		Illustration: "seated-nerve-glide.svg",
		Sources:      []string{srcButler, srcShacklock, srcBasson},
	},
	{
		ID: "lying-nerve-glide", Name: "Lying nerve glide (sciatic nerve slider)", Category: backdesk.CategoryNerveGlide,
		Purpose: "A lying version of the sitting nerve glide, which gently moves the sciatic nerve down the back of the leg. Useful when sitting is sore.",
		Steps: []string{
			"Lie on your back with your knees bent and your head on a pillow.",
			"Bring one knee up and hold behind the thigh with both hands, so that the hip is bent to about a right angle.",
			"Slowly straighten the knee part of the way while you point your toes away from you.",
			"Then bend the knee again while you pull your toes back towards you.",
			"Keep moving smoothly between the two, stopping well before any strong pulling, tingling or pain. Do not hold at either end.",
		},
		Dosage:       backdesk.Dosage{Sets: 1, Reps: 10, TimesPerDay: 2},
		Feel:         "A gentle movement in the leg, or hardly anything. A slight pull at the back of the leg that goes as soon as you bend the knee is fine.",
		StopIf:       moving(stopNerveGlide, stopNerveLater),
		Cautions:     []string{cautionNerveAdvised, cautionNerveWorsening, cautionPregnancyBack},
		Illustration: "lying-nerve-glide.svg",
		Sources:      []string{srcButler, srcShacklock, srcBasson},
	},
	{
		ID: "prone-femoral-nerve-glide", Name: "Front-of-thigh nerve glide, lying on your front (femoral slider)", Category: backdesk.CategoryNerveGlide,
		Purpose: "Gently moves the femoral nerve, which runs down the front of the thigh, for pain at the front of the thigh from an irritated nerve in the lower back.",
		Steps: []string{
			"Lie on your front with your forehead resting on your folded hands. A pillow under your tummy may make it more comfortable.",
			"Slowly bend one knee, bringing the heel towards your bottom, while you lift your head a little to look ahead.",
			"Then lower the foot back down while you rest your forehead back on your hands.",
			"Move smoothly and only part of the way, stopping well before any strong pulling, tingling or pain at the front of the thigh. Do not hold at either end.",
		},
		Dosage: backdesk.Dosage{Sets: 1, Reps: 10, TimesPerDay: 2},
		Feel:   "A gentle movement at the front of the thigh, or hardly anything.",
		StopIf: moving(stopNerveGlide, stopNerveLater),
		Cautions: []string{
			cautionNerveAdvised,
			cautionNerveWorsening,
			"If lying on your front is uncomfortable, your physiotherapist can show you a version lying on your side.",
			cautionPregnancyFront,
		},
		Illustration: "prone-femoral-nerve-glide.svg",
		Sources:      []string{srcButler, srcShacklock},
	},

	// --- Walking and graded activity ---
	{
		ID: "walking-programme", Name: "Walking programme", Category: backdesk.CategoryWalking,
		Purpose: "Regular walking, built up a little at a time, is a simple and safe way to stay active with back pain. Once an episode has settled, a walking programme has also been shown to help keep back pain from coming back.",
		Steps: []string{
			"Start with the time in your plan, or less if that is too much: a time you can walk at an easy pace without your pain flaring up.",
			"Walk for that time on the days in your plan. Flat ground and comfortable shoes make it easier.",
			"Each week, if your back has been no worse, add a few minutes to each walk.",
			"On a bad day, take a shorter walk rather than none, then build up again.",
			"Aim to work up to about 30 minutes on most days of the week, or the goal in your plan. Shorter walks added together count too.",
		},
		Dosage: backdesk.Dosage{Minutes: 15, DaysPerWeek: 5},
		Feel:   "You may feel your back a little more at first. That is normal and not a sign of harm, as long as it settles within a couple of hours.",
		StopIf: moving(
			stopHeart,
			"Cramping pain in your calves, thighs or buttocks that makes you stop walking and eases when you rest or bend forward: tell your physiotherapist or doctor.",
		),
		Cautions:     []string{cautionHeart},
		Illustration: "walking-programme.svg",
		Sources:      []string{srcWalkBack, srcNG59, srcNHS},
	},
	{
		ID: "step-ups", Name: "Step-ups", Category: backdesk.CategoryWalking,
		Purpose: "Builds leg strength and confidence for stairs, kerbs and getting about.",
		Steps: []string{
			"Stand facing the bottom step of your stairs, holding the banister or rail.",
			"Step up with one foot, placing the whole foot on the step.",
			"Press down through that foot to bring the other foot up beside it, and stand tall.",
			"Step back down with the first foot, then the other.",
			"Do all the repetitions leading with one leg, then lead with the other.",
		},
		Dosage: backdesk.Dosage{Sets: 2, Reps: 8, EachSide: true, TimesPerDay: 1, DaysPerWeek: 5},
		Feel:   "Work in your thigh and buttock.",
		StopIf: moving(stopKnee, "Dizziness or losing your balance: stop and hold the rail."),
		Cautions: []string{
			"Always hold a rail, and start with a low step.",
			cautionHeart,
		},
		Illustration: "step-ups.svg",
		Sources:      []string{srcHayden, srcNG59},
	},
	{
		ID: "desk-movement-breaks", Name: "Movement breaks from sitting", Category: backdesk.CategoryWalking,
		Purpose: "Breaks up long spells of sitting, which often leave a sore back stiffer. No one sitting posture is right; changing position often is what helps.",
		Steps: []string{
			"When you sit for long periods, set a reminder to get up every 30 to 60 minutes.",
			"Stand up and move for a minute or two: fetch a drink, walk up the stairs, or take a phone call standing.",
			"While you are up, do a few standing back bends, or reach both arms up overhead and stretch.",
			"When you sit down again, change your position: sit back in the chair, then a little forward, and move your feet.",
			"Set your screen at eye level and your chair so that your feet rest flat. A comfortable set-up makes it easier to keep changing position.",
		},
		Dosage:       backdesk.Dosage{Minutes: 2, TimesPerDay: 6, DaysPerWeek: 5},
		Feel:         "Your back should feel looser when you sit down again.",
		StopIf:       moving("Dizziness when you stand up: stand up more slowly next time."),
		Cautions:     []string{"Stand up slowly if you tend to feel light-headed."},
		Illustration: "desk-movement-breaks.svg",
		Sources:      []string{srcHSE, srcNG59},
	},
	{
		ID: "graded-activity", Name: "Graded activity: building up step by step", Category: backdesk.CategoryWalking,
		Purpose: "A way back to something back pain has stopped you doing, such as gardening, housework or a sport, by building it up in small planned steps instead of doing too much on good days and too little on bad ones.",
		Steps: []string{
			"With your physiotherapist, choose an activity that matters to you and that you have cut down or stopped because of your back.",
			"Find your starting point: how long you can do it on a typical day without a big flare-up. Start a little below that.",
			"Plan each session by time, not by how you feel: do the planned amount and then stop, even on a good day.",
			"If the last week went well, increase the time by a small fixed step, for example a couple of minutes.",
			"On a bad day, do a smaller amount rather than none, then go back to your plan.",
			"Write down what you did each time, so that you can see your progress.",
		},
		Dosage: backdesk.Dosage{Minutes: 10, DaysPerWeek: 3},
		Feel:   "Some extra aching at first is normal as your body gets used to the activity, and is not a sign of harm as long as it settles within a couple of hours.",
		StopIf: moving(stopHeart),
		Cautions: []string{
			"Agree the activity and the steps with your physiotherapist before you start.",
			cautionHeart,
		},
		Illustration: "graded-activity.svg",
		Sources:      []string{srcLindstrom, srcMacedo, srcNG59},
	},

	// --- Relaxation and breathing ---
	{
		ID: "diaphragmatic-breathing", Name: "Tummy breathing (diaphragmatic breathing)", Category: backdesk.CategoryRelaxation,
		Purpose: "Slow breathing, low down in the tummy, that calms the body, eases muscle tension and can make pain easier to cope with, especially when you are stressed or in a flare-up.",
		Steps: []string{
			"Lie on your back with your knees bent and a pillow under your head, or sit comfortably in a supportive chair.",
			"Put one hand on your chest and the other on your tummy, just below your ribs.",
			"Breathe in slowly through your nose, letting your tummy rise under your hand. The hand on your chest should hardly move.",
			"Breathe out slowly through your mouth or nose, letting your tummy fall. Make the out-breath a little longer than the in-breath.",
			"Keep a slow, comfortable rhythm. Do not force the breath or breathe more deeply than feels easy.",
		},
		Dosage: backdesk.Dosage{Minutes: 5, TimesPerDay: 2},
		Feel:   "Calmer, with your shoulders and tummy softening.",
		StopIf: resting("Dizziness, light-headedness, or tingling in your fingers or around your mouth: go back to breathing normally."),
		Cautions: []string{
			"If you have a lung condition such as COPD or asthma, ask your doctor or physiotherapist which breathing exercises suit you.",
			cautionPregnancyBack,
		},
		Illustration: "diaphragmatic-breathing.svg",
		Sources:      []string{srcNHSBreathing},
	},
	{
		ID: "progressive-muscle-relaxation", Name: "Progressive muscle relaxation", Category: backdesk.CategoryRelaxation,
		Purpose: "Gently tensing and then letting go of each group of muscles in turn, to learn what relaxed muscles feel like and to release tension that builds up with pain and stress.",
		Steps: []string{
			"Sit in a supportive chair or lie down somewhere quiet and warm. Close your eyes if you like.",
			"Start with your feet: curl your toes and tighten the muscles gently, at about half your strength, for about 5 seconds. Keep breathing.",
			"Let go all at once, and notice the muscles relaxing for 10 to 20 seconds.",
			"Move up your body in turn: calves, thighs, buttocks, hands, arms, shoulders and face.",
			"Tense your back and tummy only lightly, or leave them out if tensing hurts: just notice them and let them soften.",
			"At the end, stay still for a minute, then get up slowly.",
		},
		Dosage: backdesk.Dosage{Minutes: 15, TimesPerDay: 1},
		Feel:   "Warm, heavy and relaxed. Tensing should never be painful.",
		StopIf: resting("Cramp or pain when you tense a muscle: let go, and leave that part out."),
		Cautions: []string{
			"If you have high blood pressure or a heart condition, tense only gently and never hold your breath.",
		},
		Illustration: "progressive-muscle-relaxation.svg",
		Sources:      []string{srcJacobson, srcBernstein},
	},
	{
		ID: "body-scan", Name: "Body scan", Category: backdesk.CategoryRelaxation,
		Purpose: "A few minutes of calm attention to each part of your body in turn, which helps you notice and ease tension and can make pain feel less overwhelming.",
		Steps: []string{
			"Lie on your back with a pillow under your knees, or sit comfortably. Close your eyes if you like.",
			"Take a few slow breaths and let your body sink into the floor or the chair.",
			"Bring your attention to your toes. Notice what you feel there, without trying to change it.",
			"Move your attention slowly up through your feet, legs, hips, back, tummy, chest, arms, shoulders, neck and face.",
			"Where you notice tension, imagine it softening as you breathe out. If you notice pain, notice where it starts and ends, let your breath flow around it, and move on.",
			"When your mind wanders, as it will, gently bring it back to where you were.",
			"Finish with a few deeper breaths, wriggle your fingers and toes, and get up slowly.",
		},
		Dosage: backdesk.Dosage{Minutes: 10, TimesPerDay: 1},
		Feel:   "Calmer and more settled.",
		StopIf: resting("Feeling distressed or panicky: open your eyes, look around the room, and stop for today."),
		Cautions: []string{
			"If focusing on your body brings back difficult memories or feelings, keep your eyes open and keep it short, or leave it out and talk to your physiotherapist or doctor.",
		},
		Illustration: "body-scan.svg",
		Sources:      []string{srcKabatZinn, srcCherkin},
	},
	{
		ID: "flare-up-rest-position", Name: "Rest position for a flare-up", Category: backdesk.CategoryRelaxation,
		Purpose: "A supported position, with slow breathing, to ease pain and muscle spasm during a flare-up. Use it for short rests, then start moving gently again.",
		Steps: []string{
			"Lie on your back on the floor or a firm bed, with a pillow under your head.",
			"Rest your lower legs on the seat of a chair or on a pile of cushions, so that your hips and knees are bent at about right angles. Or lie on your side with a pillow between your knees.",
			"Let your hands rest on your tummy or by your sides.",
			"Breathe slowly, letting each out-breath be long and easy, and let your back and legs feel heavy.",
			"Rest like this for the time in your plan, then get up slowly: roll onto your side first and push up with your arms.",
			"After resting, move gently: a short walk around the house helps more than staying still for long.",
		},
		Dosage: backdesk.Dosage{Minutes: 10, TimesPerDay: 3},
		Feel:   "Your back muscles slowly letting go, and the pain easing.",
		StopIf: resting(),
		Cautions: []string{
			"Resting for long spells makes back pain slower to get better: use this for short rests only, and keep as active as you can.",
			"In pregnancy, use the version lying on your side.",
		},
		Illustration: "flare-up-rest-position.svg",
		Sources:      []string{srcNG59, srcNHS},
	},
}}
