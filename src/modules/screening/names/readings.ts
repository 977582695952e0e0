/**
 * Alternative readings of names written in Han characters.
 *
 * any-ascii reads every Han character as Mandarin pinyin, but Korean and Japanese names are written
 * with the same characters and romanised from their own readings: 金正恩 is Kim Jong Un (김정은),
 * not Jin Zheng'en; 山田太郎 is Yamada Taro, not Shan Tian Tai Lang. This module gives, for a Han
 * name the tables below cover entirely, its Sino-Korean reading (in Hangul, so the Hangul path of
 * the matcher, with its Revised / McCune-Reischauer folding, does the rest) and its Japanese reading
 * (in Hepburn romanisation, long vowels unmarked), and the Cantonese reading Hong Kong and Macau
 * write Chinese names in (黃志強 Wong Chi Keung, where pinyin gives Huang Zhiqiang). The readings are
 * alternatives: the comparison takes the best of the pinyin reading and these.
 */

/* ---------- Sino-Korean (hanja) readings ---------- */

/**
 * Korean family names in hanja: the character, its usual (South Korean) reading and, where the
 * initial-sound rule changes it, the reading kept in the North and in older romanisations
 * (李 이 Lee / 리 Ri, 柳 유 Yu / 류 Ryu, 林 임 Im / 림 Rim).
 */
const KOREAN_SURNAME_TEXT =
  '金김 李이리 朴박 崔최 鄭정 姜강 趙조 尹윤 張장 林임림 韓한 吳오 申신 徐서 權권 黃황 黄황 安안 宋송 全전 ' +
  '洪홍 高고 文문 梁양량 孫손 裵배 裴배 白백 許허 劉유류 南남 沈심 盧노로 河하 丁정 成성 車차 具구 禹우 ' +
  '朱주 任임 羅나라 辛신 閔민 柳유류 陳진 池지 嚴엄 元원 蔡채 千천 方방 孔공 玄현 咸함 卞변 廉염렴 楊양 ' +
  '邊변 呂여려 秋추 魯노로 都도 蘇소 愼신 慎신 石석 宣선 薛설 馬마 吉길 延연 周주 表표 明명 奇기 潘반 ' +
  '王왕 琴금 玉옥 陸육륙 印인 孟맹 諸제 卓탁 秦진 鞠국 余여 魏위 康강 睦목 龍용룡 郭곽 房방 皮피 董동 ' +
  '邢형 景경 片편 魚어 奉봉 太태 昔석 夫부 承승 桂계 庾유 晉진 晋진 芮예 杜두 智지 慶경 丘구 殷은 弓궁 ' +
  '莊장 蔣장 賈가 甘감 史사 于우 國국 簡간 唐당 馮풍 溫온 左좌 田전 邦방 范범 柴시 河하 牟모 葛갈';

/** Korean family names of two characters (남궁, 제갈, 선우, 황보, 독고, 사공, 서문). */
const KOREAN_COMPOUND_SURNAMES: Readonly<Record<string, string>> = {
  南宮: '남궁',
  諸葛: '제갈',
  鮮于: '선우',
  皇甫: '황보',
  獨孤: '독고',
  司空: '사공',
  西門: '서문',
};

/**
 * Syllables frequent in Korean given names: character, reading (and the reading with an initial
 * ㄹ where the South drops it: 龍 용 / 룡).
 */
const KOREAN_GIVEN_TEXT =
  '正정 貞정 廷정 庭정 政정 晶정 靜정 鼎정 淨정 恩은 銀은 殷은 日일 一일 逸일 成성 聖성 星성 誠성 盛성 性성 ' +
  '哲철 喆철 澈철 徹철 鐵철 浩호 鎬호 好호 虎호 昊호 豪호 湖호 英영 永영 榮영 泳영 映영 瑛영 民민 敏민 ' +
  '旼민 玟민 珉민 俊준 準준 峻준 駿준 浚준 賢현 鉉현 玄현 顯현 炫현 光광 廣광 明명 命명 植식 湜식 男남 ' +
  '南남 楠남 秀수 洙수 壽수 守수 修수 洙수 淑숙 姬희 姫희 熙희 喜희 希희 禧희 順순 舜순 淳순 純순 子자 慈자 ' +
  '玉옥 美미 善선 先선 宣선 仙선 鮮선 錫석 碩석 奭석 石석 國국 鎭진 鎮진 眞진 真진 珍진 振진 進진 辰진 秦진 ' +
  '東동 童동 棟동 煥환 桓환 基기 起기 琪기 箕기 奇기 容용 勇용 用용 鎔용 龍용룡 泰태 台태 太태 炳병 秉병 丙병 ' +
  '柄병 春춘 根근 槿근 雲운 云운 金금 錦금 今금 琴금 大대 中중 仲중 重중 仁인 寅인 義의 宜의 禮례예 智지 ' +
  '志지 知지 芝지 之지 池지 信신 新신 臣신 忠충 孝효 德덕 道도 學학 文문 武무 茂무 珠주 周주 柱주 宙주 ' +
  '朱주 宇우 佑우 祐우 友우 雨우 禹우 旭욱 郁욱 元원 源원 遠원 媛원 園원 苑원 允윤 潤윤 胤윤 尹윤 乙을 ' +
  '載재 在재 材재 才재 宰재 哉재 鍾종 鐘종 宗종 種종 鉉현 志지 昌창 彰창 昶창 天천 川천 泉천 千천 淸청 ' +
  '清청 青청 靑청 承승 勝승 昇승 相상 尙상 尚상 祥상 常상 上상 商상 雪설 實실 心심 雅아 娥아 安안 愛애 陽양 ' +
  '良량양 亮량양 彦언 淵연 妍연 娟연 蓮련연 然연 延연 燕연 演연 玲령영 寧녕영 藝예 睿예 叡예 完완 熊웅 雄웅 ' +
  '月월 偉위 有유 裕유 維유 儒유 惟유 柔유 益익 任임 章장 壯장 長장 濟제 帝제 祚조 朝조 照조 直직 燦찬 贊찬 ' +
  '讚찬 采채 彩채 澤택 宅택 平평 杓표 豊풍 豐풍 弼필 夏하 河하 翰한 漢한 韓한 海해 亨형 馨형 炯형 衡형 亨형 ' +
  '惠혜 慧혜 洪홍 弘홍 和화 華화 花화 化화 會회 勳훈 勲훈 薰훈 熏훈 訓훈 輝휘 範범 凡범 福복 鳳봉 峰봉 奉봉 ' +
  '富부 斌빈 彬빈 士사 思사 三삼 敬경 京경 慶경 景경 炅경 卿경 庚경 鏡경 桂계 啓계 坤곤 寬관 觀관 九구 求구 ' +
  '龜구 君군 圭규 奎규 珪규 揆규 均균 吉길 洛락 蘭란 來래 烈렬열 倫륜윤 律률율 利리이 理리이 麟린인 林림임 ' +
  '立립입 萬만 滿만 梅매 勉면 冕면 模모 夢몽 博박 寶보 普보 甫보 斗두 得득 登등 乃내 年년연 女녀 洙수 愚우 ' +
  '羽우 運운 元원 源원 一일 日일 亥해 享향 香향 鄕향 向향 赫혁 革혁 弦현 現현 賢현 協협 亨형 兄형 泫현 ' +
  '孫손 松송 頌송 秀수 晟성 昭소 素소 紹소 少소 炤소 小소 世세 洗세 誠성 瑞서 舒서 書서 敍서 曙서 西서 ' +
  '錫석 鉐석 昔석 善선 璇선 琁선 旋선 璿선 涉섭 燮섭 雪설 說설 卨설 聲성 城성 晟성 星성 省성 勢세 細세 ' +
  '宇우 熙희 曦희 希희 憙희 道도 度도 都도 島도 到도 桃도 燾도 敦돈 惇돈 頓돈 東동 同동 洞동 銅동 冬동 ' +
  '赫혁 奕혁 玹현 晛현 見견 堅견 結결 潔결 兼겸 謙겸 京경 炅경 耕경 俓경 庚경 鏡경 勁경 徑경 桂계 溪계 季계 ' +
  '高고 古고 固고 孔공 公공 功공 恭공 空공 冠관 寬관 官관 光광 廣광 匡광 交교 敎교 教교 喬교 橋교 久구 玖구 ' +
  '具구 國국 菊국 局국 群군 軍군 權권 券권 勸권 貴귀 龜귀 規규 揆규 均균 鈞균 克극 極극 根근 勤근 近근 ' +
  '基기 技기 紀기 記기 騎기 氣기 沂기 吉길 羅라나 樂락낙 南남 納납 娘낭 乃내 奈내 女여녀 能능 丹단 檀단 ' +
  '達달 潭담 淡담 談담 堂당 唐당 大대 代대 岱대 臺대 與여 汝여 麗려여 勳훈 洙수 昊호 晧호 皓호 鎬호 泓홍 虹홍';

const NFKC_CACHE = new Map<string, string>();
function nfkc(ch: string): string {
  let n = NFKC_CACHE.get(ch);
  if (n === undefined) {
    n = ch.normalize('NFKC');
    NFKC_CACHE.set(ch, n);
  }
  return n;
}

/** Character → readings (first the usual one, then the one with an initial ㄹ, if any). */
function hanjaMap(text: string): Map<string, readonly string[]> {
  const map = new Map<string, readonly string[]>();
  for (const entry of text.split(' ')) {
    if (entry === '') continue;
    const [han, ...readings] = [...entry];
    if (han === undefined || readings.length === 0) continue;
    const key = nfkc(han);
    if (!map.has(key)) map.set(key, readings);
  }
  return map;
}

const KOREAN_SURNAMES = hanjaMap(KOREAN_SURNAME_TEXT);
const KOREAN_GIVEN = hanjaMap(KOREAN_GIVEN_TEXT);

/* ---------- Japanese readings ---------- */

/** Japanese family names (Hepburn, long vowels unmarked: 佐藤 Sato, 伊藤 Ito, 太田 Ota). */
const JAPANESE_SURNAME_TEXT =
  '佐藤 sato|鈴木 suzuki|高橋 takahashi|田中 tanaka|伊藤 ito|渡辺 watanabe|渡邊 watanabe|渡邉 watanabe|' +
  '山本 yamamoto|中村 nakamura|小林 kobayashi|加藤 kato|吉田 yoshida|山田 yamada|佐々木 sasaki|山口 yamaguchi|' +
  '松本 matsumoto|井上 inoue|木村 kimura|林 hayashi|斎藤 saito|齋藤 saito|斉藤 saito|清水 shimizu|山崎 yamazaki|' +
  '森 mori|池田 ikeda|橋本 hashimoto|阿部 abe|石川 ishikawa|山下 yamashita|中島 nakajima|石井 ishii|小川 ogawa|' +
  '前田 maeda|岡田 okada|長谷川 hasegawa|藤田 fujita|後藤 goto|近藤 kondo|村上 murakami|遠藤 endo|青木 aoki|' +
  '坂本 sakamoto|福田 fukuda|太田 ota|西村 nishimura|藤井 fujii|岡本 okamoto|松田 matsuda|中川 nakagawa|' +
  '中野 nakano|原田 harada|小野 ono|田村 tamura|竹内 takeuchi|金子 kaneko|和田 wada|中山 nakayama|石田 ishida|' +
  '上田 ueda|森田 morita|原 hara|柴田 shibata|酒井 sakai|工藤 kudo|横山 yokoyama|宮崎 miyazaki|宮本 miyamoto|' +
  '内田 uchida|高木 takagi|安藤 ando|谷口 taniguchi|大野 ono|丸山 maruyama|今井 imai|高田 takada|藤原 fujiwara|' +
  '河野 kono|小島 kojima|武田 takeda|村田 murata|上野 ueno|杉山 sugiyama|増田 masuda|平野 hirano|大塚 otsuka|' +
  '千葉 chiba|久保 kubo|松井 matsui|小山 koyama|岩崎 iwasaki|桜井 sakurai|野口 noguchi|松尾 matsuo|菅原 sugawara|' +
  '木下 kinoshita|野村 nomura|新井 arai|渡部 watanabe|佐野 sano|杉本 sugimoto|大西 onishi|菊地 kikuchi|菊池 kikuchi|' +
  '市川 ichikawa|古川 furukawa|水野 mizuno|小松 komatsu|島田 shimada|山内 yamauchi|西田 nishida|菅 suga|' +
  '安田 yasuda|中田 nakata|北村 kitamura|東 higashi|浅野 asano|大橋 ohashi|福島 fukushima|岩田 iwata|服部 hattori|' +
  '松下 matsushita|永井 nagai|川口 kawaguchi|宮田 miyata|星野 hoshino|大川 okawa|堀 hori|荒木 araki|田口 taguchi|' +
  '吉川 yoshikawa|関 seki|本田 honda|岡 oka|森本 morimoto|北川 kitagawa|中西 nakanishi|土屋 tsuchiya|安倍 abe|' +
  '岸田 kishida|麻生 aso|菅野 sugano|小泉 koizumi|鳩山 hatoyama|福井 fukui|三浦 miura|野田 noda|宮下 miyashita|' +
  '松岡 matsuoka|川村 kawamura|大島 oshima|山中 yamanaka|平田 hirata|原口 haraguchi|秋山 akiyama|桑原 kuwabara|' +
  '浜田 hamada|濱田 hamada|黒田 kuroda|石原 ishihara|宇野 uno|片山 katayama|須藤 sudo|内藤 naito|西川 nishikawa|' +
  '高野 takano|松浦 matsuura|吉村 yoshimura|田辺 tanabe|田邊 tanabe|竹田 takeda|大久保 okubo|小池 koike|' +
  '小田 oda|織田 oda|徳川 tokugawa|豊田 toyota|坂口 sakaguchi|川上 kawakami|藤本 fujimoto|大野 ono|遠山 toyama|' +
  '村井 murai|西山 nishiyama|福本 fukumoto|小西 konishi|黒川 kurokawa|青山 aoyama|中谷 nakatani|新田 nitta|' +
  '大谷 otani|永田 nagata|森川 morikawa|吉岡 yoshioka|宮川 miyagawa|田島 tajima|三宅 miyake|望月 mochizuki|' +
  '白石 shiraishi|細川 hosokawa|大塚 otsuka|栗原 kurihara|麻原 asahara|重信 shigenobu|日野 hino|松山 matsuyama';

/** Japanese given names. */
const JAPANESE_GIVEN_TEXT =
  '太郎 taro|花子 hanako|一郎 ichiro|次郎 jiro|二郎 jiro|三郎 saburo|健 ken|誠 makoto|翔 sho|大輔 daisuke|' +
  '健太 kenta|拓也 takuya|直樹 naoki|陽子 yoko|恵子 keiko|裕子 yuko|美香 mika|愛 ai|麻衣 mai|由美 yumi|' +
  '智子 tomoko|真由美 mayumi|洋子 yoko|京子 kyoko|幸子 sachiko|和子 kazuko|久美子 kumiko|明美 akemi|' +
  '直美 naomi|美穂 miho|美紀 miki|恵 megumi|舞 mai|彩 aya|優子 yuko|順子 junko|典子 noriko|由美子 yumiko|' +
  '真理子 mariko|千尋 chihiro|結衣 yui|陽菜 hina|美咲 misaki|さくら sakura|明 akira|晃 akira|博 hiroshi|浩 hiroshi|' +
  '清 kiyoshi|茂 shigeru|勇 isamu|実 minoru|進 susumu|豊 yutaka|修 osamu|薫 kaoru|学 manabu|隆 takashi|' +
  '聡 satoshi|智 satoshi|剛 tsuyoshi|翼 tsubasa|匠 takumi|亮 ryo|涼 ryo|蓮 ren|陸 riku|優 yu|純 jun|光 hikaru|' +
  '大翔 hiroto|陽翔 haruto|悠真 yuma|蒼 aoi|葵 aoi|凛 rin|健一 kenichi|健二 kenji|浩二 koji|浩一 koichi|' +
  '誠一 seiichi|正 tadashi|正雄 masao|正人 masato|雅人 masato|秀樹 hideki|英樹 hideki|達也 tatsuya|和也 kazuya|' +
  '哲也 tetsuya|一郎 ichiro|信也 shinya|慎也 shinya|大介 daisuke|雄一 yuichi|裕太 yuta|翔太 shota|大樹 daiki|' +
  '拓海 takumi|蓮 ren|一 hajime|晋三 shinzo|文雄 fumio|義偉 yoshihide|純一郎 junichiro|由紀夫 yukio|' +
  '龍之介 ryunosuke|太一 taichi|健司 kenji|賢治 kenji|昭 akira|弘 hiroshi|武 takeshi|稔 minoru|勝 masaru|' +
  '功 isao|靖 yasushi|亜希子 akiko|明子 akiko|彩子 ayako|美智子 michiko|春子 haruko|秋子 akiko|夏子 natsuko|' +
  '久子 hisako|節子 setsuko|良子 yoshiko|芳子 yoshiko|悦子 etsuko|信子 nobuko|文子 fumiko|静香 shizuka|' +
  '香織 kaori|沙織 saori|美奈子 minako|奈美 nami|麻美 asami|愛子 aiko|優花 yuka|由香 yuka|友美 tomomi|' +
  '房子 fusako|智津夫 chizuo';

function wordMap(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const entry of text.split('|')) {
    const [word, reading] = entry.split(' ');
    if (word === undefined || reading === undefined) continue;
    const key = word.normalize('NFKC');
    if (!map.has(key)) map.set(key, reading);
  }
  return map;
}

const JAPANESE_SURNAMES = wordMap(JAPANESE_SURNAME_TEXT);
const JAPANESE_GIVEN = wordMap(JAPANESE_GIVEN_TEXT);
/** Longest table word, in characters. */
const JAPANESE_LONGEST = Math.max(
  ...[...JAPANESE_SURNAMES.keys(), ...JAPANESE_GIVEN.keys()].map((w) => [...w].length),
);

/* ---------- Cantonese readings ---------- */

/**
 * Cantonese readings of Chinese names as Hong Kong and Macau romanise them (the government's
 * spelling on identity documents, Yale-like: 黃志強 is Wong Chi Keung, not Huang Zhiqiang). Entries
 * are `characters:reading`, traditional and simplified forms together (黃黄:wong); two-character
 * family names first.
 */
const CANTONESE_SURNAME_TEXT =
  '陳陈:chan 黃黄:wong 李:lee 張张:cheung 梁:leung 林:lam 劉刘:lau 吳吴:ng 伍:ng 何:ho 鄭郑:cheng ' +
  '王:wong 楊杨:yeung 周:chow 謝谢:tse 羅罗:law 蔡:choi 許许:hui 鄧邓:tang 曾:tsang 馮冯:fung ' +
  '葉叶:yip 郭:kwok 麥麦:mak 朱:chu 胡:wu 盧卢:lo 余:yu 蘇苏:so 潘:poon 鍾鐘钟:chung 彭:pang ' +
  '韓韩:hon 唐:tong 馬马:ma 莫:mok 高:ko 袁:yuen 邱丘:yau 方:fong 石:shek 孔:hung 龔龚:kung ' +
  '黎:lai 徐:tsui 文:man 錢钱:chin 廖:liu 蕭萧:siu 霍:fok 湯汤:tong 杜:to 江:kong 溫温:wan ' +
  '雷:lui 嚴严:yim 傅:foo 關关:kwan 甘:kam 鄺邝:kwong 駱骆:lok 趙赵:chiu 孫孙:suen 宋:sung ' +
  '蔣蒋:tseung 沈:shum 金:kam 莊庄:chong 姚:yiu 侯:hau 翁:yung 容:yung 尹:wan 岑:sham 游:yau ' +
  '區区:au 歐欧:au 范:fan 姜:keung 譚谭:tam 談谈:tam 鄒邹:chau 古:koo 簡简:kan 施:sze 田:tin ' +
  '左:tso 柯:or 凌:ling 龐庞:pong 易:yik 毛:mo 向:heung 房:fong 董:tung 程:ching 顏颜:ngan ' +
  '韋韦:wai 魏:ngai 俞:yu 喬乔:kiu 勞劳:lo 賴赖:lai 費费:fai 衛卫:wai 戴:tai 夏:ha 洪:hung ' +
  '熊:hung 邵:shiu 單单:shin 樊:fan 倪:ngai 顧顾:koo 秦:chun 邢:ying 申:san 白:pak 鮑鲍:pau ' +
  '包:pau 章:cheung 萬万:man 尤:yau 辛:san 柳:lau 華华:wah 車车:che 薛:sit 聶聂:nip 段:tuen ' +
  '崔:tsui 史:sze 詹:chim 孟:mang 岳:ngok 賀贺:ho 焦:chiu 殷:yan 湛:cham 冼:sin 植:chik 利:lee ' +
  '巫:mo 藍蓝:lam 龍龙:lung 戚:chik 祝:chuk 阮:yuen 練练:lin 卓:cheuk 池:chi';

/** Characters of given names and their Cantonese reading (Hong Kong spelling). */
const CANTONESE_GIVEN_TEXT =
  '志智之芝枝知治致稚慈詞词:chi 子梓紫芷:tsz 強强:keung 剛刚:kong 光廣广:kwong ' +
  '偉伟維维衛卫威惠慧蕙煒炜:wai 暉晖輝辉:fai 明銘铭鳴鸣:ming 華华樺桦:wah 國国:kwok ' +
  '文敏民萬万雯聞闻紋纹汶玟:man 建健堅坚:kin 傑杰潔洁:kit 家嘉加:ka 佳啟启:kai ' +
  '俊駿骏進进春珍振真晉晋津秦:chun 美薇:mei 玲齡龄靈灵凌:ling 芳方:fong 麗丽禮礼黎:lai ' +
  '婷庭廷定:ting 英瑩莹盈邢:ying 穎颖榮荣永詠咏泳:wing 秀修壽寿:sau 秋:chau 寶宝保葆:po ' +
  '德得:tak 錦锦金琴:kam 海開开:hoi 東东冬棟栋通同童彤桐:tung 成誠诚城:shing 勝胜星聲声昇:sing ' +
  '興兴慶庆卿:hing 發发:fat 財财才彩:choi 富:fu 貴贵桂:kwai 祥翔章長长:cheung 昌:cheong ' +
  '安:on 平萍冰兵炳:ping 和:wo 泰大太:tai 耀堯尧瑤瑶:yiu 漢汉翰:hon 雄鴻鸿洪紅红虹:hung ' +
  '康杭航:hong 龍龙隆:lung 鳳凤峰鋒锋豐丰風风:fung 豪浩好昊皓灝灏:ho 天田:tin ' +
  '宇雨儒如裕瑜愉羽語语漁渔:yu 玉旭育毓煜:yuk 月悅悦:yuet 雪:suet 宏弘:wang ' +
  '正清青晶靜静貞贞程澄晴菁靖:ching 力:lik 立:lap 新:san 山珊:shan 生:sang 善先仙倩鮮鲜:sin ' +
  '坤君群軍军均昆鈞钧:kwan 亮良樑量:leung 霖林琳:lam 達达:tat 中忠松宗聰聪仲頌颂:chung ' +
  '基琪其琦祺麒旗紀纪:kei 恆恒杏行:hang 澤泽:chak 卓焯灼爵:cheuk 婉源遠远元圓圆:yuen 丹:tan ' +
  '彬斌賓宾:pan 波步:po 博:pok 朗:long 芬勳勋奮奋:fan 雲云運运允韻韵蘊蕴溫:wan 潤润:yun ' +
  '欣恩仁人因:yan 賢贤然燕彥彦妍言:yin 濤涛道桃:to 霞夏:ha 河可荷賀贺:ho 日一逸:yat ' +
  '少小笑兆肇紹绍:siu 詩诗思斯絲丝士仕:sze 蓮莲連连:lin 年:nin 寧宁:ning 怡儀仪宜義义意依兒儿:yi ' +
  '瑞:sui 水:shui 樹树書书:shu 淑叔:shuk 全泉川傳传存:chuen 心深森琛:sum 柏伯百白:pak ' +
  '錫锡:sek 石碩硕:shek 昭超朝照潮釗钊:chiu 鵬鹏朋:pang 飛飞菲非:fei 福復复馥:fuk ' +
  '祿禄六陸陆綠绿:luk 有友佑祐柔:yau 倫伦麟綸纶:lun 敦:tun 蓉榕勇湧涌容雍:yung 鶴鹤學学:hok ' +
  '樂乐洛:lok 諾诺:nok 穆木沐牧:muk 武舞務务:mo 銀银雁:ngan 愛爱藹蔼:oi 毅藝艺:ngai ' +
  '煥焕桓:wun 歡欢寬宽:fun 若約约躍跃:yeuk 陽阳揚扬洋羊:yeung 香鄉乡響响:heung ' +
  '相常尚上裳霜雙双商湘:sheung 勤根謹谨:kan 權权娟:kuen 冠觀观官貫贯:kwun 堂棠:tong ' +
  '滿满:mun 苗妙淼:miu 嬌娇:kiu 喜希熙禧:hei 鎮镇:chun 展:chin ' +
  '蔭荫:yam 娥:ngor 偲:sze 標标:piu 彪:piu 炎:yim 艷艳:yim 影映:ying 燦灿:chan';

/** Chinese family names of two characters, traditional and simplified. */
const CANTONESE_COMPOUND_SURNAMES: Readonly<Record<string, string>> = {
  司徒: 'szeto',
  歐陽: 'au yeung',
  欧阳: 'au yeung',
  上官: 'sheung kwun',
  諸葛: 'chu kot',
  诸葛: 'chu kot',
};

/** `characters:reading` entries to a map of each character, the first reading of a character kept. */
function cantoneseMap(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const entry of text.split(' ')) {
    const [chars, reading] = entry.split(':');
    if (chars === undefined || reading === undefined) continue;
    for (const ch of chars) if (!map.has(ch)) map.set(ch, reading);
  }
  return map;
}

const CANTONESE_SURNAMES = cantoneseMap(CANTONESE_SURNAME_TEXT);
const CANTONESE_GIVEN = cantoneseMap(CANTONESE_GIVEN_TEXT);

/**
 * The Cantonese reading, `family, given`, of a Chinese name of two to four characters (a family
 * name of one or two characters, a given name of one or two) when the tables cover every character.
 */
function cantoneseReading(chars: readonly string[]): string | undefined {
  if (chars.length < 2 || chars.length > 4) return undefined;
  const pair = chars.length >= 3 ? CANTONESE_COMPOUND_SURNAMES[`${chars[0]}${chars[1]}`] : undefined;
  const family = pair ?? CANTONESE_SURNAMES.get(chars[0] as string);
  if (family === undefined) return undefined;
  const given = chars.slice(pair !== undefined ? 2 : 1);
  if (given.length < 1 || given.length > 2) return undefined;
  const syllables: string[] = [];
  for (const ch of given) {
    const r = CANTONESE_GIVEN.get(ch) ?? CANTONESE_SURNAMES.get(ch);
    if (r === undefined) return undefined;
    syllables.push(r);
  }
  return `${family}, ${syllables.join(' ')}`;
}

/* ---------- reading a name ---------- */

const HAN = /\p{Script=Han}/u;
const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}ー]/u;
const LETTER = /[\p{L}\p{M}]/u;

/** An alternative reading of a Han-script name, as text the ordinary preparation reads. */
export interface HanReading {
  /** `korean`, `japanese` or `cantonese`. */
  lang: 'korean' | 'japanese' | 'cantonese';
  /** The name written so that preparation reads it that way (Hangul, or romanised `family, given`). */
  text: string;
}

/**
 * The name's words (runs of Han and kana), or undefined when it is not written in Han (with or
 * without kana) alone.
 */
function hanWords(raw: string): { words: string[][]; kana: boolean } | undefined {
  const words: string[][] = [];
  let word: string[] = [];
  let han = false;
  let kana = false;
  for (const ch of raw.normalize('NFKC')) {
    if (LETTER.test(ch) || ch === '々' || ch === 'ー') {
      if (HAN.test(ch) || ch === '々') han = true;
      else if (KANA.test(ch)) kana = true;
      else return undefined;
      word.push(ch);
    } else if (word.length > 0) {
      words.push(word);
      word = [];
    }
  }
  if (word.length > 0) words.push(word);
  return han ? { words, kana } : undefined;
}

/**
 * Korean readings: a family name (one character, or one of the two-character ones) and a given name
 * of two syllables, the usual shape of a Korean name. Shorter Han names are far more often Chinese.
 */
function koreanReadings(chars: readonly string[]): string[] {
  if (chars.length < 3 || chars.length > 4) return [];
  const out: string[] = [];
  const compound = chars.length >= 3 ? KOREAN_COMPOUND_SURNAMES[`${chars[0]}${chars[1]}`] : undefined;
  const familyLength = compound !== undefined ? 2 : 1;
  const given = chars.slice(familyLength);
  if (given.length !== 2) return out;
  const family: readonly string[] | undefined =
    compound !== undefined ? [compound] : KOREAN_SURNAMES.get(chars[0] as string);
  if (family === undefined) return out;
  const syllables: (readonly string[])[] = [];
  for (const ch of given) {
    const r = KOREAN_GIVEN.get(ch) ?? KOREAN_SURNAMES.get(ch);
    if (r === undefined) return out;
    syllables.push(r);
  }
  // the usual reading, then (where the initial-sound rule applies) the one keeping the initial ㄹ
  const usual = (family[0] as string) + syllables.map((s) => s[0]).join('');
  out.push(usual);
  const kept = (family[1] ?? family[0]) + syllables.map((s) => s[1] ?? s[0]).join('');
  if (kept !== usual) out.push(kept);
  return out;
}

/** Segments a run of Han (and kana) into table words, longest first; undefined if some part is not covered. */
function japaneseSegments(
  chars: readonly string[],
  first: boolean,
): { text: string; family: boolean }[] | undefined {
  const out: { text: string; family: boolean }[] = [];
  let i = 0;
  while (i < chars.length) {
    const ch = chars[i] as string;
    if (KANA.test(ch)) {
      // kana are read as written (any-ascii romanises them); a run of kana is one word
      let j = i;
      while (j < chars.length && KANA.test(chars[j] as string)) j++;
      const kana = chars.slice(i, j).join('');
      const known = JAPANESE_GIVEN.get(kana) ?? JAPANESE_SURNAMES.get(kana);
      out.push({ text: known ?? kana, family: first && out.length === 0 });
      i = j;
      continue;
    }
    let found: { text: string; family: boolean; length: number } | undefined;
    for (let len = Math.min(JAPANESE_LONGEST, chars.length - i); len >= 1 && found === undefined; len--) {
      const piece = chars.slice(i, i + len).join('');
      // the family name comes first: prefer a family name there, a given name after it
      const atStart = first && out.length === 0;
      const surname = JAPANESE_SURNAMES.get(piece);
      const given = JAPANESE_GIVEN.get(piece);
      const reading = atStart ? (surname ?? given) : (given ?? surname);
      if (reading !== undefined)
        found = { text: reading, family: atStart && surname !== undefined, length: len };
    }
    if (found === undefined) return undefined;
    out.push({ text: found.text, family: found.family });
    i += found.length;
  }
  return out;
}

/** The Japanese reading, written `family, given`, when the tables cover the whole name. */
function japaneseReading(words: readonly string[][], kana: boolean): string | undefined {
  const segments: { text: string; family: boolean }[] = [];
  for (let w = 0; w < words.length; w++) {
    const s = japaneseSegments(words[w] as string[], w === 0);
    if (s === undefined) return undefined;
    segments.push(...s);
  }
  // a family name and a given name (or kana, which only Japanese writes)
  if (segments.length < 2 && !kana) return undefined;
  if (segments.length > 4) return undefined;
  const [head, ...rest] = segments;
  if (head === undefined) return undefined;
  return rest.length > 0 ? `${head.text}, ${rest.map((s) => s.text).join(' ')}` : head.text;
}

/**
 * Alternative readings of a personal name written in Han characters (and kana): Sino-Korean when it
 * is a Korean family name followed by one or two given-name syllables (Han only, no kana), Cantonese
 * (Hong Kong spelling) when the tables cover a Chinese name of two to four characters, Japanese
 * when the tables cover the whole name (any kana makes the name Japanese only). Empty for other names.
 */
export function hanReadings(raw: string): HanReading[] {
  const found = hanWords(raw);
  if (found === undefined) return [];
  const out: HanReading[] = [];
  if (!found.kana) {
    const chars = found.words.flat();
    // a Korean name is written solid, or family name apart from the given name
    if (found.words.length <= 2 && chars.every((c) => HAN.test(c) && c !== '々')) {
      for (const text of koreanReadings(chars)) out.push({ lang: 'korean', text });
      const cantonese = cantoneseReading(chars);
      if (cantonese !== undefined) out.push({ lang: 'cantonese', text: cantonese });
    }
  }
  const japanese = japaneseReading(found.words, found.kana);
  if (japanese !== undefined) out.push({ lang: 'japanese', text: japanese });
  return out;
}
