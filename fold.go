package backdesk

import (
	"strings"
	"unicode"
)

// FoldText is text as a search compares it: lower case, without accents
// ("Siobhán Ó Briain" and "siobhan o briain" fold alike), letters such as
// ß, æ and ø spelt out in plain Latin letters, and anything that is not a
// letter or a digit (apostrophes, hyphens, dots) turned into one space
// between words; "@" stays, for emails. Patient search and the look-alike
// check both fold with it, so that what one finds the other matches.
func FoldText(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		var out string
		switch {
		case r >= 'A' && r <= 'Z':
			out = string(r + 'a' - 'A')
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '@':
			out = string(r)
		case r < 0x80:
		case foldSpecial[r] != "":
			out = foldSpecial[r]
		case strings.ContainsRune(foldTable, r):
			i := strings.IndexRune(foldTable, r) + len(string(r))
			out = foldTable[i : i+1]
		case unicode.Is(unicode.Mn, r):
			continue // a combining accent: the letter before it stays
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			out = string(unicode.ToLower(r))
		}
		if out == "" {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteString(out)
	}
	return b.String()
}

// foldSpecial are the letters that are not a Latin letter with an accent.
var foldSpecial = map[rune]string{
	'ß': "ss", 'ẞ': "ss", 'Æ': "ae", 'æ': "ae", 'Œ': "oe", 'œ': "oe", 'Ø': "o", 'ø': "o",
	'Đ': "d", 'đ': "d", 'Ð': "d", 'ð': "d", 'Ł': "l", 'ł': "l", 'Þ': "th", 'þ': "th",
	'ı': "i", 'Ħ': "h", 'ħ': "h", 'ŀ': "l", 'Ŀ': "l", 'ĸ': "k", 'ŉ': "n",
}

// foldTable pairs each Latin letter with an accent (U+00C0 to U+024F and
// U+1E00 to U+1EFF) with its plain letter, as Unicode's canonical
// decomposition gives it.
const foldTable = "ÀaÁaÂaÃaÄaÅaÇcÈeÉeÊeËeÌiÍiÎiÏiÑnÒoÓoÔoÕoÖoÙuÚuÛu" +
	"ÜuÝyàaáaâaãaäaåaçcèeéeêeëeìiíiîiïiñnòoóoôoõoöoùu" +
	"úuûuüuýyÿyĀaāaĂaăaĄaąaĆcćcĈcĉcĊcċcČcčcĎdďdĒeēeĔe" +
	"ĕeĖeėeĘeęeĚeěeĜgĝgĞgğgĠgġgĢgģgĤhĥhĨiĩiĪiīiĬiĭiĮi" +
	"įiİiĴjĵjĶkķkĹlĺlĻlļlĽlľlŃnńnŅnņnŇnňnŌoōoŎoŏoŐoőo" +
	"ŔrŕrŖrŗrŘrřrŚsśsŜsŝsŞsşsŠsšsŢtţtŤtťtŨuũuŪuūuŬuŭu" +
	"ŮuůuŰuűuŲuųuŴwŵwŶyŷyŸyŹzźzŻzżzŽzžzƠoơoƯuưuǍaǎaǏi" +
	"ǐiǑoǒoǓuǔuǕuǖuǗuǘuǙuǚuǛuǜuǞaǟaǠaǡaǦgǧgǨkǩkǪoǫoǬo" +
	"ǭoǰjǴgǵgǸnǹnǺaǻaȀaȁaȂaȃaȄeȅeȆeȇeȈiȉiȊiȋiȌoȍoȎoȏo" +
	"ȐrȑrȒrȓrȔuȕuȖuȗuȘsșsȚtțtȞhȟhȦaȧaȨeȩeȪoȫoȬoȭoȮoȯo" +
	"ȰoȱoȲyȳyḀaḁaḂbḃbḄbḅbḆbḇbḈcḉcḊdḋdḌdḍdḎdḏdḐdḑdḒdḓd" +
	"ḔeḕeḖeḗeḘeḙeḚeḛeḜeḝeḞfḟfḠgḡgḢhḣhḤhḥhḦhḧhḨhḩhḪhḫh" +
	"ḬiḭiḮiḯiḰkḱkḲkḳkḴkḵkḶlḷlḸlḹlḺlḻlḼlḽlḾmḿmṀmṁmṂmṃm" +
	"ṄnṅnṆnṇnṈnṉnṊnṋnṌoṍoṎoṏoṐoṑoṒoṓoṔpṕpṖpṗpṘrṙrṚrṛr" +
	"ṜrṝrṞrṟrṠsṡsṢsṣsṤsṥsṦsṧsṨsṩsṪtṫtṬtṭtṮtṯtṰtṱtṲuṳu" +
	"ṴuṵuṶuṷuṸuṹuṺuṻuṼvṽvṾvṿvẀwẁwẂwẃwẄwẅwẆwẇwẈwẉwẊxẋx" +
	"ẌxẍxẎyẏyẐzẑzẒzẓzẔzẕzẖhẗtẘwẙyẠaạaẢaảaẤaấaẦaầaẨaẩa" +
	"ẪaẫaẬaậaẮaắaẰaằaẲaẳaẴaẵaẶaặaẸeẹeẺeẻeẼeẽeẾeếeỀeềe" +
	"ỂeểeỄeễeỆeệeỈiỉiỊiịiỌoọoỎoỏoỐoốoỒoồoỔoổoỖoỗoỘoộo" +
	"ỚoớoỜoờoỞoởoỠoỡoỢoợoỤuụuỦuủuỨuứuỪuừuỬuửuỮuữuỰuựu" +
	"ỲyỳyỴyỵyỶyỷyỸyỹy"
