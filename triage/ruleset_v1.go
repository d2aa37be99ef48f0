package triage

import "backdesk"

// Sources cited by the rules.
const (
	srcClinic    = "Clinic guides: physiotherapist or massage therapist for lower back pain"
	srcClinicRF  = "Clinic guides: see a doctor right away for these symptoms"
	srcClinicMS  = "Clinic guides: conditions that need assessment before massage"
	srcIFOMPT    = "IFOMPT International Framework for Red Flags for Potential Serious Spinal Pathologies (Finucane et al., 2020)"
	srcCES       = "NICE CKS Sciatica/low back pain: suspected cauda equina syndrome needs immediate referral; " + srcIFOMPT
	srcMSCC      = "NICE NG234 Spinal metastases and metastatic spinal cord compression (2023); " + srcIFOMPT
	srcNG59      = "NICE NG59 Low back pain and sciatica in over 16s"
	srcStartBack = "Keele STarT Back Screening Tool (Hill et al., 2008); NICE NG59 1.1.2: stratify risk at first contact"
	srcODI       = "Oswestry Disability Index (Fairbank and Pynsent, 2000): above 20 % is moderate disability or worse"
	srcMassage   = "Clinic guides: choosing a massage technique; massage contraindications and precautions"
)

var (
	emergency    = backdesk.DispositionEmergency
	urgentDoctor = backdesk.DispositionUrgentDoctor
	massageNo    = backdesk.MassageNo
	afterAssess  = backdesk.MassageAfterAssessment
	notRuledOut  = Not(Is(MassageSuitable, "no"))
	noDoctor     = All(Not(Is(Outcome, "emergency")), Not(Is(Outcome, "urgent_doctor")))
	repetitive   = Any(Is(Trigger, "lifting_twisting"), Is(Trigger, "posture_desk"), Is(Trigger, "heavy_work"))
)

// redFlag is a rule for one red flag: a doctor first, and no massage.
func redFlag(id string, when Cond, d backdesk.Disposition, flag, text, source string) Rule {
	return Rule{ID: id, Kind: KindRedFlag, When: when, Disposition: d, RedFlag: flag, Massage: massageNo, Contraindication: flag, Text: text, Source: source}
}

func massageSafety(id string, when Cond, m backdesk.MassageSuitability, what, text string) Rule {
	return Rule{ID: id, Kind: KindMassageSafety, When: when, Massage: m, Contraindication: what, Text: text, Source: srcClinicMS}
}

// V1 is the first published ruleset. It is frozen: change it only by adding
// a new version beside it.
var V1 = &Ruleset{Version: "2026.1", Rules: []Rule{
	// --- Red flags (assessment.md §2) ---
	redFlag("rf_urinary_difficulty", True(RedFlagUrinaryDifficulty), emergency, "urinary_difficulty",
		"Difficulty passing urine with back pain can mean pressure on the nerves at the base of the spine (cauda equina syndrome), which needs emergency care.", srcCES),
	redFlag("rf_saddle_numbness", True(RedFlagSaddleNumbness), emergency, "saddle_numbness",
		"Numbness or tingling between your legs or in your buttocks can mean pressure on the nerves at the base of the spine (cauda equina syndrome), which needs emergency care.", srcCES),
	redFlag("rf_incontinence", True(RedFlagIncontinence), emergency, "incontinence",
		"Losing control of your bladder or bowels with back pain can mean cauda equina syndrome, which needs emergency care.", srcCES),
	redFlag("rf_sexual_dysfunction", True(RedFlagSexualDysfunction), emergency, "sexual_dysfunction",
		"New problems with sexual function with back pain can be a sign of cauda equina syndrome, which needs emergency care.", srcCES),
	redFlag("rf_leg_weakness", True(RedFlagLegWeakness), emergency, "leg_weakness",
		"New or worsening weakness in your legs can mean a nerve is being badly compressed, which needs emergency care.", srcCES),
	redFlag("rf_pain_both_legs", Any(True(RedFlagPainBothLegs), All(Is(LegSide, "both"), True(NerveSymptoms))), emergency, "pain_both_legs",
		"Pain or nerve symptoms travelling down both legs can mean pressure on the nerves at the base of the spine, which needs emergency care.", srcCES),
	redFlag("rf_trauma", True(RedFlagTrauma), emergency, "trauma",
		"Back pain that started after a serious fall, accident or blow needs to be checked for an injury to the spine straight away.", srcClinicRF+"; "+srcIFOMPT),
	redFlag("rf_trauma_fracture", All(True(RedFlagTrauma), Any(True(ConditionOsteoporosis), True(RedFlagSteroids))), emergency, "trauma",
		"A fall or blow with osteoporosis or long-term steroid use raises the chance of a fracture in the spine (suspected fracture).", srcIFOMPT),
	redFlag("rf_cancer_nerve_symptoms", All(True(RedFlagCancerHistory), True(NerveSymptoms)), emergency, "cancer_history",
		"Leg nerve symptoms with a history of cancer can mean the spinal cord is being compressed (suspected metastatic spinal cord compression), which needs emergency care.", srcMSCC),
	redFlag("rf_unwell_fever", True(RedFlagUnwellFever), urgentDoctor, "unwell_fever",
		"Feeling unwell, feverish or sweating at night with back pain can be a sign of infection, which a doctor should check first.", srcClinicRF+"; "+srcIFOMPT),
	redFlag("rf_cancer_history", True(RedFlagCancerHistory), urgentDoctor, "cancer_history",
		"New back pain after cancer should be checked by a doctor first, to rule out spread to the spine.", srcMSCC),
	redFlag("rf_weight_loss", True(RedFlagWeightLoss), urgentDoctor, "weight_loss",
		"Weight loss you cannot explain, with back pain, should be checked by a doctor first.", srcClinicRF+"; "+srcIFOMPT),
	redFlag("rf_constant_night_pain", True(RedFlagConstantNightPain), urgentDoctor, "constant_night_pain",
		"Constant pain that rest and changing position do not ease, often worse at night, should be checked by a doctor first.", srcIFOMPT),
	redFlag("rf_steroids", True(RedFlagSteroids), urgentDoctor, "steroids",
		"Long-term steroid tablets weaken bones and lower resistance to infection, so a doctor should check your back pain first.", srcIFOMPT),
	redFlag("rf_immunosuppressed", True(RedFlagImmunosuppressed), urgentDoctor, "immunosuppressed",
		"A weakened immune system or injecting drugs raises the chance of a spinal infection, so a doctor should check your back pain first.", srcIFOMPT),

	// --- Massage safety (assessment.md §3) ---
	massageSafety("ms_fracture", True(ConditionFracture), massageNo, "fracture", "Massage is not safe over a spinal fracture until it has healed and been assessed."),
	massageSafety("ms_spinal_cancer", True(ConditionSpinalCancer), massageNo, "spinal_cancer", "Massage is not safe with cancer in the spine until your specialist team has advised."),
	massageSafety("ms_dvt", True(ConditionDVT), massageNo, "dvt", "Massage is not safe with a blood clot: it could dislodge it."),
	massageSafety("ms_skin_condition", True(ConditionSkinConditionBack), massageNo, "skin_condition_back", "Massage is not possible over broken or infected skin on the back."),
	massageSafety("ms_recent_surgery", True(ConditionRecentSpinalSurgery), massageNo, "recent_spinal_surgery", "Massage is not safe within 12 weeks of spinal surgery; physiotherapy guides the recovery."),
	massageSafety("ms_arthritis", True(ConditionArthritis), afterAssess, "arthritis", "With arthritis in the spine, a physiotherapist should assess you before massage."),
	massageSafety("ms_disc", True(ConditionDisc), afterAssess, "disc", "With a disc bulge or prolapse, a physiotherapist should assess you before massage."),
	massageSafety("ms_stenosis", True(ConditionStenosis), afterAssess, "stenosis", "With spinal stenosis, a physiotherapist should assess you before massage."),
	massageSafety("ms_spondylolisthesis", True(ConditionSpondylolisthesis), afterAssess, "spondylolisthesis", "With a slipped vertebra (spondylolisthesis), a physiotherapist should assess you before massage."),
	massageSafety("ms_osteoporosis", True(ConditionOsteoporosis), afterAssess, "osteoporosis", "Osteoporosis makes bones fragile, so firm pressure is unsafe; a physiotherapist should assess you first."),
	massageSafety("ms_scheuermanns", True(ConditionScheuermanns), afterAssess, "scheuermanns", "With Scheuermann's disease, a physiotherapist should assess you before massage."),
	massageSafety("ms_scoliosis", True(ConditionScoliosis), afterAssess, "scoliosis", "With scoliosis, a physiotherapist should assess you before massage."),
	massageSafety("ms_axial_spa", True(ConditionAxialSpA), afterAssess, "axial_spa", "With ankylosing spondylitis, a physiotherapist should assess you before massage."),
	massageSafety("ms_neurological", True(ConditionNeurological), afterAssess, "neurological", "With a condition that affects your mobility, a physiotherapist should assess you before massage."),
	massageSafety("ms_anticoagulants", True(ConditionAnticoagulants), afterAssess, "anticoagulants", "Blood thinners or a bleeding disorder make bruising more likely, so pressure must be adapted after an assessment."),
	massageSafety("ms_nerve_symptoms", True(NerveSymptoms), afterAssess, "nerve_symptoms", "Leg pain, pins and needles or numbness point to an irritated nerve, which a physiotherapist should assess before massage."),
	massageSafety("ms_pregnant", True(Pregnant), afterAssess, "pregnant", "In pregnancy, back pain should be assessed first; massage then needs a therapist trained in pregnancy massage."),
	massageSafety("ms_under_16", Below(Age, 16), afterAssess, "under_16", "Under 16s are assessed by a physiotherapist before any massage."),

	// --- Physiotherapy indicated (assessment.md §4) ---
	{ID: "new_episode", Kind: KindPhysiotherapy, When: Is(Episode, "first"), Source: srcClinic,
		Text: "This is a new problem: a physiotherapist can find the cause and give you a diagnosis."},
	{ID: "pain_moderate_or_severe", Kind: KindPhysiotherapy, When: Any(Is(PainBand, "moderate"), Is(PainBand, "severe")), Source: srcClinic,
		Text: "Your pain is moderate to severe (4 or more out of 10): physiotherapy first, with a plan of exercises to do at home."},
	{ID: "nerve_symptoms", Kind: KindPhysiotherapy, When: True(NerveSymptoms), Source: srcClinic,
		Text: "Leg pain, pins and needles or numbness point to a nerve in the lower back, which a physiotherapist should assess."},
	{ID: "diagnosed_condition", Kind: KindPhysiotherapy, Source: srcClinic + "; " + srcNG59,
		When: Any(True(ConditionArthritis), True(ConditionDisc), True(ConditionStenosis), True(ConditionFracture), True(ConditionSpondylolisthesis),
			True(ConditionOsteoporosis), True(ConditionScheuermanns), True(ConditionScoliosis), True(ConditionSpinalCancer), True(ConditionAxialSpA),
			True(ConditionRecentSpinalSurgery), True(ConditionNeurological)),
		Text: "A diagnosed spinal condition needs treatment planned around it, which is a physiotherapist's work."},
	{ID: "chronic_pain", Kind: KindPhysiotherapy, When: Is(Chronicity, "chronic"), Source: srcClinic + "; " + srcNG59 + " 1.2.1: exercise",
		Text: "Pain that has lasted 12 weeks or more does best with a structured exercise programme, which a physiotherapist plans."},
	{ID: "rehab_or_sport_goal", Kind: KindPhysiotherapy, When: Any(True(GoalRehabAfterSurgery), True(GoalReturnToSport)), Source: srcClinic,
		Text: "Rehabilitation after surgery and a return to sport need a graded programme from a physiotherapist."},
	{ID: "startback_medium_or_high", Kind: KindPhysiotherapy, When: Any(Is(StartBackRisk, "medium"), Is(StartBackRisk, "high")), Source: srcStartBack,
		Text: "Your STarT Back score shows a medium or high risk of the pain persisting, and physiotherapy is recommended for that."},
	{ID: "odi_moderate_or_worse", Kind: KindPhysiotherapy, When: AtLeast(ODIPercent, 21), Source: srcODI,
		Text: "Your Oswestry score shows your back pain limits your daily life (more than 20 %), which physiotherapy can help with."},
	{ID: "under_16", Kind: KindPhysiotherapy, When: Below(Age, 16), Source: srcClinicMS,
		Text: "Children and young people under 16 with back pain are assessed by a physiotherapist first."},

	// --- Massage wanted (assessment.md §4) ---
	{ID: "muscle_tension", Kind: KindMassageWanted, When: True(MuscleTension), Source: srcClinic,
		Text: "You have tight muscles, knots or spasm, which massage eases."},
	{ID: "stress", Kind: KindMassageWanted, When: True(Stress), Source: srcClinic,
		Text: "Stress and anxiety tighten the back muscles; massage helps you relax."},
	{ID: "tension_headaches", Kind: KindMassageWanted, When: True(TensionHeadaches), Source: srcClinic,
		Text: "Tension headaches from neck and shoulder tightness respond well to massage."},
	{ID: "relaxation_goal", Kind: KindMassageWanted, When: True(GoalRelaxation), Source: srcClinic,
		Text: "You would like to relax, which is what massage is for."},
	{ID: "recurring_tightness", Kind: KindMassageWanted, Source: srcClinic,
		When: All(Is(Episode, "recurring"), Any(Is(Trigger, "posture_desk"), Is(Trigger, "exercise"), Is(Trigger, "heavy_work"), Is(Trigger, "stress"))),
		Text: "Recurring tightness from desk work, exercise, a physical job or stress is what regular massage helps most."},

	// --- Routing (assessment.md §4, Disposition) ---
	{ID: "route_physiotherapy_and_massage", Kind: KindRouting, Disposition: backdesk.DispositionPhysiotherapyAndMassage, Source: srcClinic,
		When: All(True(PhysioIndicated), True(MassageWanted), Is(MassageSuitable, "yes")),
		Text: "Physiotherapy treats the cause and massage eases the muscles: longer-lasting or recurring pain often does best with both."},
	{ID: "route_physiotherapy", Kind: KindRouting, Disposition: backdesk.DispositionPhysiotherapy, Source: srcClinic,
		When: All(True(PhysioIndicated), Not(All(True(MassageWanted), Is(MassageSuitable, "yes")))),
		Text: "Start with a physiotherapist, who will diagnose the problem and give you exercises for home."},
	{ID: "route_massage", Kind: KindRouting, Disposition: backdesk.DispositionMassage, Source: srcClinic,
		When: All(Not(True(PhysioIndicated)), Is(MassageSuitable, "yes")),
		Text: "Your pain is mild and has come back before, with nothing that needs a diagnosis first: massage suits this well."},
	{ID: "route_assessment_first", Kind: KindRouting, Disposition: backdesk.DispositionPhysiotherapy, Source: srcClinicMS,
		When: All(Not(True(PhysioIndicated)), Not(Is(MassageSuitable, "yes"))),
		Text: "Massage needs an assessment before it is safe for you, so start with a physiotherapist, who can then refer you on."},

	// --- Massage techniques (assessment.md §7) ---
	{ID: "technique_deep_tissue", Kind: KindTechnique, Technique: "deep_tissue", Source: srcMassage,
		When: All(notRuledOut, True(MuscleTension), repetitive, Not(Is(PainTolerance, "low")), Not(True(ConditionOsteoporosis)), Not(True(ConditionAnticoagulants))),
		Text: "Slow, firm pressure releases muscle tension built up by lifting, posture or heavy work."},
	{ID: "technique_sports", Kind: KindTechnique, Technique: "sports", Source: srcMassage,
		When: All(notRuledOut, True(MuscleTension), Any(Is(Trigger, "exercise"), True(GoalReturnToSport)), Not(Is(PainTolerance, "low")),
			Not(True(ConditionOsteoporosis)), Not(True(ConditionAnticoagulants))),
		Text: "Sports massage works on muscles tightened by training and exercise."},
	{ID: "technique_swedish", Kind: KindTechnique, Technique: "swedish", Source: srcMassage,
		When: All(notRuledOut, Any(Is(PainTolerance, "low"), True(Stress))),
		Text: "Gentle, flowing Swedish massage suits a low tolerance for pressure and helps with stress."},
	{ID: "technique_trigger_point", Kind: KindTechnique, Technique: "trigger_point", Source: srcMassage,
		When: All(notRuledOut, Any(True(MuscleTension), True(TensionHeadaches))),
		Text: "Trigger-point work releases knots, including those that refer pain into tension headaches."},
	{ID: "technique_myofascial_release", Kind: KindTechnique, Technique: "myofascial_release", Source: srcMassage,
		When: All(notRuledOut, Is(Chronicity, "chronic"), True(MuscleTension)),
		Text: "Myofascial release eases long-standing stiffness in the tissues around the muscles."},
	{ID: "technique_hot_stone", Kind: KindTechnique, Technique: "hot_stone", Source: srcMassage,
		When: All(notRuledOut, True(MuscleTension), Not(True(Pregnant))),
		Text: "Warm stones let tight muscles relax before massage, for tension eased by heat."},
	{ID: "technique_pregnancy", Kind: KindTechnique, Technique: "pregnancy", Source: srcMassage,
		When: All(notRuledOut, True(Pregnant)),
		Text: "Side-lying positioning with a therapist trained in pregnancy massage."},
	{ID: "technique_swedish_default", Kind: KindTechnique, Technique: "swedish", Fallback: true, Source: srcMassage,
		When: notRuledOut,
		Text: "Gentle Swedish massage is the safe starting point when nothing calls for firmer work."},

	// --- Self-care advice ---
	{ID: "advice_no_treatment_before_doctor", Kind: KindAdvice, When: Not(noDoctor), Source: srcClinicRF,
		Text: "Do not book massage or physiotherapy until a doctor has seen you and said it is safe."},
	{ID: "advice_first_episode_age", Kind: KindAdvice, When: All(noDoctor, Is(Episode, "first"), Any(AtLeast(Age, 50), Below(Age, 20))), Source: srcIFOMPT,
		Text: "Back pain for the first time at your age is worth mentioning to your GP as well, alongside physiotherapy."},
	{ID: "advice_stay_active", Kind: KindAdvice, When: noDoctor, Source: srcNG59 + " 1.2.1: self-management",
		Text: "Keep moving and carry on with your normal activities as far as you can; bed rest slows recovery."},
	{ID: "advice_massage_with_exercise", Kind: KindAdvice, When: Is(Outcome, "massage"), Source: srcNG59 + " 1.2.7: manual therapy only as part of a package including exercise",
		Text: "Massage works best alongside exercise: do the stretches and strengthening exercises your therapist shows you, and keep active between sessions."},
	{ID: "advice_psychologically_informed", Kind: KindAdvice, When: All(noDoctor, Is(StartBackRisk, "high")), Source: srcStartBack + "; " + srcNG59 + " 1.2.8: psychological therapy only alongside exercise",
		Text: "Physiotherapy with a psychologically informed approach (for example cognitive behavioural techniques alongside exercise) is recommended for you."},
	{ID: "advice_low_risk_reassurance", Kind: KindAdvice, When: All(noDoctor, Is(StartBackRisk, "low")), Source: srcStartBack,
		Text: "Your STarT Back score shows a low risk of lasting problems: most back pain like yours settles with self-care and staying active."},
	{ID: "advice_desk", Kind: KindAdvice, When: All(noDoctor, Is(Trigger, "posture_desk")), Source: srcClinic,
		Text: "Break up long spells of sitting: stand up and move every 30 to 45 minutes, and set your screen at eye level."},
	{ID: "advice_lifting", Kind: KindAdvice, When: All(noDoctor, Any(Is(Trigger, "lifting_twisting"), Is(Trigger, "heavy_work"))), Source: srcClinic,
		Text: "When lifting, keep the load close, bend your knees and avoid twisting; build strength back gradually."},
	{ID: "advice_return_to_sport", Kind: KindAdvice, When: All(noDoctor, Any(True(GoalReturnToSport), Is(Trigger, "exercise"))), Source: srcClinic,
		Text: "Return to sport gradually, easing off training load rather than stopping completely."},
	{ID: "advice_pain_relief", Kind: KindAdvice, When: All(noDoctor, Any(Is(PainBand, "moderate"), Is(PainBand, "severe"))), Source: srcNG59 + " 1.2.17–1.2.19: pharmacological management",
		Text: "Ask a pharmacist or your GP which pain relief is right for you; heat can also ease muscle pain."},
	{ID: "advice_pregnancy", Kind: KindAdvice, When: All(noDoctor, True(Pregnant)), Source: srcClinicMS,
		Text: "Tell every therapist you see that you are pregnant, and mention your back pain to your midwife."},
	{ID: "advice_safety_net", Kind: KindAdvice, When: noDoctor, Source: srcClinicRF,
		Text: "If you develop numbness between your legs, difficulty passing urine, loss of bladder or bowel control, or weakness in your legs, go to an emergency department straight away."},
}}
