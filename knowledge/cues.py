"""What a message asks, read from its words: the aspect (documents, fee, where, online...), whether
it is a yes/no question, who it is for, and the conversational moves (repeat, simplify, switch
language, leave a form, a death in the family, a request we do not handle).

Pure and catalogue-independent, so it holds when the catalogue grows: the matter itself is found
by the catalogue search (``knowledge/search.py``) and the classifier, never by these lists. The
cues are short on purpose: the speech recogniser and people on phones drop punctuation, mix
languages and misspell ("how lomg", "wher"), so both exact and fuzzy English words count.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Dict, Optional, Sequence, Tuple

#: aspect -> (Chinese cues, English cues); the first aspect that matches wins, so the order
#: puts narrow questions (online, agent, deadline, collect) before broad ones (where, documents).
ASPECTS: Tuple[Tuple[str, Sequence[str], Sequence[str]], ...] = (
    ("online", ("网上", "线上", "手机上", "手机能", "手机办", "小程序", "app", "网办", "不用跑", "不出门", "在家办",
                "电子版", "掌上"),
     ("online", "on line", "on my phone", "from home", "the app", "internet", "website", "without going")),
    ("proxy", ("代办", "代理", "代领", "别人帮", "帮我办", "替我", "替他", "替她", "家人帮", "家里人", "亲属", "委托",
               "本人必须", "本人去", "本人到场", "不去能", "我不去", "亲自", "也得去", "也要去", "得到场", "要到场", "去现场", "到现场", "子女帮", "儿子帮", "女儿帮", "帮别人", "帮我爸",
               "帮我妈", "帮老人", "替我去", "他去办行", "她去办行"),
     ("on my behalf", "on his behalf", "on her behalf", "someone else", "somebody else", "for me instead",
      "in person", "proxy", "power of attorney", "family member apply", "apply for me", "apply for him",
      "apply for her", "go for me", "do it for me", "have to go myself", "must i go", "do i need to go",
      "go instead", "instead of me", "have to come", "has to come", "need to come", "needs to come",
      "have to be there", "has to be there", "come along", "be present", "in my place", "cannot travel", "can't travel", "housebound",
      "can't leave the house", "cannot leave the house", "can't get out of bed", "cannot get out of bed")),
    ("deadline", ("期限", "截止", "最晚", "过期", "还剩几个月", "只剩几个月", "快到期", "逾期", "来得及", "多久之内", "多久内", "多久以内", "多少天以内", "多少天之内", "多少日之内", "几天内要", "多少天内要", "之内要", "几天之内", "多少天内", "几天内办", "几天内去办", "几天内得办", "几天内必须", "多少天里", "几天里头", "管几年", "管多少年", "管好多年", "能用几年", "能用多少年", "有效期", "在几天内", "得在多少天", "要在多少天", "超时", "晚了", "什么时候之前",
                  "有没有时间限制", "时间限制", "提前多久", "提前几天", "提前多长时间", "啥时候去换", "什么时候去换", "啥时候换", "什么时候换", "什么时候申请", "啥时候申请", "罚款", "罚钱", "罚不罚", "罚吗", "会罚", "罚多少"),
     ("deadline", "months left", "month left", "weeks left", "time limit", "too late", "how soon", "by when", "within how", "overdue", "late fee", "expire", "expires", "expiring", "runs out", "run out", "running out",
      "a fine", "any fine", "fined", "fine me", "fine us", "fine him", "fine her", "being late", "penalty", "how early", "how far in advance", "when should i apply", "when i should apply", "when i apply", "when do i apply",
      "when can i apply", "when i can apply",
      "when should i renew", "when do i renew", "when should i go", "how long do we have", "how long do i have", "how long have i got", "how long have we got", "how long i have", "how many days i have", "how many days do i have",
      "how many days do we have", "how many days we have",
      "how much time do", "valid for", "how long is it valid", "how many years")),
    ("collect", ("领取", "取证", "去哪拿", "哪里拿", "哪拿", "怎么拿", "寄", "快递", "拿到", "取件",
                 "什么时候能拿", "去哪取", "哪里取"),
     ("collect", "pick it up", "pick up", "pickup", "post it", "mail it", "delivered", "get it back", "receive it",
      "be posted", "be mailed", "by post", "by mail", "send it to", "sent to my", "mailing", "postage", "posting",
      "delivery")),
    ("fee", ("多少钱", "收费", "费用", "要钱", "花钱", "几块钱", "交钱", "付钱", "收钱", "免费", "价格", "工本费", "钱吗",
             "钱不", "收不收", "贵不贵", "多钱", "交多少", "掏钱", "登记费", "手续费", "服务费", "办证费"),
     ("cost", "fee", "fees", "how much", "price", "pay", "free", "charge", "charges", "expensive")),
    ("time", ("多久", "几天", "多长时间", "时限", "多快", "啥时候好", "什么时候好", "什么时候能好", "多少天", "要等", "等多",
              "几个工作日", "当天", "当场", "加急", "快点", "啥时候到账", "什么时候到账", "多久到账", "钱啥时候到", "钱什么时候到",
              "钱几时到", "几号到账", "哪天到账", "好久到", "要好久", "好久能", "好久才"),
     ("how long", "how lomg", "how many days", "how quick", "how fast", "take long", "wait", "when will it be ready",
      "when is it ready", "ready by", "what day of the month", "which day of the month", "same day", "processing time", "express", "urgent", "hurry", "quicker",
      "faster", "sooner", "speed it up", "speed up", "money come", "money arrive", "first payment", "get paid")),
    ("hours", ("几点", "上班时间", "开门", "关门", "周末", "星期六", "星期天", "周六", "周日", "礼拜", "下班", "节假日", "中午",
               "营业时间", "办公时间", "开放时间", "几点开", "几点关"),
     ("opening hours", "what time", "open on", "open at", "weekend", "saturday", "sunday", "close", "opening time",
      "office hours", "hours")),
    ("where", ("在哪", "搁哪", "哪里", "哪儿", "去哪", "上哪", "窗口", "地址", "什么地方", "怎么走", "几楼", "哪个区", "到哪", "啥地方",
               "哪个门", "地点"),
     ("where", "wher", "which window", "address", "location", "which office", "which building", "go to",
      "what counter", "counter")),
    ("eligibility", ("条件", "能不能办", "能办吗", "可以办吗", "我能办", "符合", "资格", "够不够", "谁能办", "有资格", "也能办", "也可以办",
                     "能申请吗", "可以申请吗"),
     ("eligible", "eligibility", "qualify", "who can apply", "can i apply", "am i allowed", "requirements",
      "entitled", "get one too", "get one as well", "can she get one", "can he get one", "can they get one")),
    ("materials", ("材料", "带什么", "带啥", "带些什么", "带哪些", "证件", "资料", "准备什么", "准备啥", "要啥", "需要什么",
                   "要什么东西", "拿什么", "拿啥", "拿些啥", "带些啥", "拿哪些", "带上", "要带", "带不带", "需要带", "得带", "清单", "照片", "复印件", "户口本要", "身份证要"),
     ("document", "bring", "papers", "paperwork", "materials", "what do i need", "need to take", "proof",
      "photo", "copies", "requirements list", "what should i take")),
    ("process", ("咋整", "咋办", "咋弄", "怎么办理", "怎么办", "怎么弄", "怎么申请", "流程", "步骤", "程序", "手续", "怎么搞",
                 "如何办理", "办理流程", "先干嘛", "先做什么", "顺序", "先办哪个", "先办啥", "哪个先", "先弄哪个", "咋申领", "怎么申领", "如何申领", "咋申请",
                 "咋认证", "怎么认证", "怎么操作", "咋操作"),
     ("how do i", "how to", "how can i", "how i do", "how i can", "how we do", "how i apply", "process", "procedure", "steps", "what do i do", "where do i start",
      "first step", "first thing", "in what order", "order", "which one first", "which first", "what first", "do first")),
)

YES_NO_ZH = re.compile(r"(吗|(?<![什怎这那多要])么|嘛|不[?？。!！]*$|没[?？。!！]*$|是不是|能不能|可不可以|要不要|用不用|收不收|有没有|行不行|"
                       r"得不得|需不需要|会不会|算不算|是吧|对吧|对不对|是这样吧)")
YES_NO_EN = re.compile(r"^\s*(is|are|can|could|do|does|did|will|would|should|must|may|have|has|am)\b|"
                       r"\b(or no|or not|ok or|okay or|yes or no)\s*\??\s*$|(?<!how )(?<!where )(?<!what )(?<!when )(?<!who )(?<!which )\b(\w+ ){2,}can\s*\??\s*$", re.I)

WHO: Tuple[Tuple[str, Sequence[str], Sequence[str]], ...] = (
    ("foreigner", ("外国人", "外籍", "老外", "外国护照", "洋", "国外的人", "外国朋友", "非中国籍"),
     ("foreigner", "foreign national", "foreign citizen", "not chinese", "expat", "non-chinese", "my husband is american",
      "my wife is american", "foreign passport")),
    ("minor", ("孩子", "小孩", "儿子", "女儿", "宝宝", "娃", "未成年", "学生", "孙子", "孙女", "婴儿", "小朋友", "闺女", "崽"),
     ("child", "children", "kid", "son", "daughter", "baby", "minor", "under 16", "under 18", "teenager",
      "grandson", "granddaughter", "toddler", "infant")),
    ("senior", ("老人", "我妈", "我爸", "父母", "老母亲", "老父亲", "爷爷", "奶奶", "姥姥", "姥爷", "外婆", "外公", "老伴",
                "老年人", "岁数大", "八十", "七十", "九十", "行动不便", "卧床", "腿脚不好", "退休", "退了休"),
     ("elderly", "my mother", "my father", "my mum", "my mom", "my dad", "parents", "grandma", "grandpa",
      "grandmother", "grandfather", "senior", "old age", "bedridden", "can't walk", "in her 80s", "in his 80s",
      "aged", "retired", "pensioner", "retiree")),
    ("agent", ("帮别人", "代办", "替别人", "帮朋友", "帮亲戚", "委托", "代理人", "老婆", "老公", "媳妇", "丈夫", "妻子",
               "爱人", "家里人", "家人", "亲戚", "朋友", "同事", "店长"),
     ("on behalf", "someone else", "for a friend", "for my friend", "for a relative", "power of attorney",
      "my husband", "my wife", "my partner", "my spouse", "family member", "relative", "my friend",
      "a colleague", "my colleague", "instead of me", "without me")),
)
#: the spouse comes along ("我和老公想领证", "my wife and I"): nobody applies for anyone, unless it
#: is said outright ("我和老公商量好了让他代办")
TOGETHER = re.compile(r"(我(和|跟|与)|(和|跟|与)我|我们俩|我俩|咱俩|(wife|husband|partner|fiance|fiancee) and i|"
                      r"i and my|me and my|with my (wife|husband|partner))")
OUTRIGHT_AGENT = re.compile(r"(代办|委托|代理|替别人|帮别人|on behalf|power of attorney|someone else|without me|instead of me|for me)")

REPEAT = (("再说一遍", "再说一次", "重复一下", "再讲一遍", "没听清", "没听见", "刚才说什么", "刚才说的", "再说一下", "重说", "再念一遍"),
          ("say that again", "repeat", "again please", "come again", "didn't hear", "did not hear", "pardon",
           "one more time", "what did you say"))
SIMPLIFY = (("字太多", "太长了", "看不明白", "没看明白", "没看懂", "看不懂", "听不懂", "说简单点", "简单点", "说简单", "太复杂",
             "说慢点", "没明白", "不太明白", "听不明白", "我不明白", "俺不明白", "还是不明白", "啥意思", "什么意思", "眼睛不好", "看不清",
             "睇唔明", "唔明白", "听唔明", "听唔懂", "记不住", "记不到", "说太多", "讲太多", "太多了"),
            ("too long", "too many words", "too much to read", "too wordy", "simpler", "simple words", "don't understand",
             "do not understand", "confusing", "too much text", "shorter", "explain again", "plain words", "too complicated", "what does that mean",
             "too much word", "too much words", "not understand", "no understand", "a lot to take in", "too much info"))
TO_ENGLISH = (("说英文", "用英文", "英语说", "英文说", "说英语", "用英语", "english"),
              ("in english", "speak english", "english please", "english version"))
TO_CHINESE = (("说中文", "用中文", "中文说", "讲中文", "说普通话", "汉语"),
              ("in chinese", "speak chinese", "chinese please", "in mandarin", "mandarin please"))
LEAVE = (("算了", "不办了", "不查了", "不约了", "不预约了", "不用了", "不要了", "不想办了", "先不", "取消吧", "退出", "不弄了",
          "改天再说", "以后再说", "不搞了", "停", "别问了", "不取消了", "还是留着", "不了不了", "还是不了"),
         ("forget it", "cancel that", "never mind", "nevermind", "stop", "quit", "changed my mind", "not now",
          "leave it", "don't want", "do not want", "no longer", "skip it", "exit", "later", "keep it",
          "actually no", "don't cancel", "do not cancel"))
LOST_RECEIPT = (("找不到", "丢了", "弄丢", "没有回执", "不记得", "忘了", "忘记", "没带", "回执没了", "单子没了", "不知道编号",
                 "不知道号码", "记不住"),
                ("lost the receipt", "lost my receipt", "lost it", "can't find", "cannot find", "don't have the",
                 "do not have the", "dont have the", "don't have it", "dont have it", "no longer have",
                 "lost the code", "lost my code", "don't know the number", "do not know the number", "forgot",
                 "don't remember", "dont remember",
                 "no receipt", "threw it away"))
BEREAVEMENT = (("去世", "过世", "离世", "病逝", "死了", "死亡", "逝世", "丧事", "后事", "办丧", "殡葬", "火化", "老了人"),
               ("passed away", "died", "dead", "death", "deceased", "funeral", "lost my mother", "lost my father",
                "lost my husband", "lost my wife", "lost my dad", "lost my mum", "lost my mom", "bereave",
                "my late ", "late father", "late mother", "late husband", "late wife", "late dad", "late mum",
                "late mom", "late grand"))
#: requests that sound like services but are someone else's, with where to go (0 = say so only)
NOT_OURS: Tuple[Tuple[str, Sequence[str], Sequence[str]], ...] = (
    ("scam", ("安全账户", "转到安全", "政府担保", "担保理财", "冒充", "诈骗", "骗子", "中奖了", "冻结您的", "涉嫌洗钱", "保证金",
              "刷单"),
     ("safe account", "government account", "move my savings", "transfer my savings", "scam", "fraud", "caller said",
      "called saying", "claims to be from the police", "money laundering", "won a prize", "guaranteed by the government")),
    ("hospital", ("挂号", "挂个号", "医院的号", "看病", "看医生", "专家号", "门诊", "住院部", "体检预约", "约个体检", "预约体检", "做个体检", "医院预约", "预约医生", "抢救", "急诊",
                  "打疫苗", "保健品"),
     ("see a doctor", "doctor's appointment", "doctor appointment", "hospital appointment", "book a doctor",
      "book me a doctor", "a doctor at", "book a health check", "book a checkup", "checkup for me", "dentist", "vaccine",
      "supplements",
      "specialist", "outpatient", "emergency room", "register at the hospital", "hospital registration")),
    ("hospital_complaint", ("投诉医院", "医院态度", "医生态度", "医院乱收费", "护士态度", "医疗纠纷", "医疗事故"),
     ("complain about the hospital", "complaint about the hospital", "hospital overcharged", "rude doctor",
      "rude nurse", "medical malpractice", "hospital was terrible")),
    ("delivery", ("外卖", "点餐", "订餐", "叫餐", "送餐", "奶茶", "披萨", "快递柜", "快递到哪", "查快递", "物流", "跑腿", "闪送",
                  "同城快送"),
     ("food delivery", "order food", "takeaway", "take away", "deliver food", "pizza", "takeout", "order dinner",
      "order lunch", "order me", "order some", "order us", "get me some food", "bring me some", "deliver me",
      "i'm hungry", "im hungry", "parcel", "taobao", "tracking number", "send a courier", "courier to pick", "errand")),
    ("tax_avoidance", ("避税", "逃税", "少交税", "少交点税", "偷税", "漏税", "不交税", "逃个税", "假发票", "做假账", "不被查", "藏收入"),
     ("avoid tax", "avoid paying tax", "tax avoidance", "evade tax", "tax evasion", "pay less tax", "not pay tax",
      "hide income", "hide some income", "fake invoice", "dodge tax", "under the table")),
    ("stocks", ("股票", "炒股", "基金推荐", "买什么股", "涨停", "理财产品", "比特币", "投资建议", "买哪只"),
     ("stock tip", "stock tips", "stock", "stocks", "shares to buy", "which stock", "crypto", "bitcoin", "investment advice",
      "make money fast", "trading tips")),
    ("travel", ("火车票", "高铁票", "动车票", "机票", "车票", "12306"),
     ("train ticket", "flight", "plane ticket", "bus ticket", "rail ticket")),
    ("legal", ("打官司", "起诉", "告他", "告他们", "要告", "法律纠纷", "找律师", "请律师", "律师费", "赔偿多少", "索赔"),
     ("sue", "suing", "sued", "lawsuit", "lawyer", "legal advice", "take him to court", "take them to court",
      "compensation claim", "claim compensation")),
    ("other", ("天气", "讲个笑话", "唱首歌", "彩票", "相亲", "打车", "酒店", "租房子", "找工作推荐", "修手机",
               "电影票", "餐厅推荐", "劳务市场", "日结", "招工", "冻结银行卡", "银行卡挂失", "挂失银行卡", "银行卡冻结"),
     ("weather", "joke", "sing a song", "lottery", "taxi", "hotel", "movie", "good restaurant", "book a table",
      "freeze my bank card", "block my bank card", "bank card was in", "cancel my bank card", "freeze the bank card",
      "restaurant nearby", "dating", "fix my phone", "recipe", "football")),
)
COMPLAINT_US = (("投诉", "态度差", "态度不好", "服务太差", "工作人员态度", "排队太久", "窗口态度", "不满意你们", "差评", "意见",
                 "很凶", "太凶", "凶我", "吼我", "骂我", "甩脸", "爱答不理", "不耐烦", "排了俩小时", "排了两个小时",
                 "排了半天", "等了半天", "等了俩小时", "等了两个小时", "办事太慢", "效率太低", "跑了好几趟"),
                ("complain", "complaint", "rude staff", "bad service", "terrible service", "queue was too long",
                 "waited too long", "staff were rude", "your staff", "shouted at me", "yelled at me", "was rude",
                 "were rude", "waited two hours", "waited 2 hours", "waited three hours", "waited for hours",
                 "so slow", "too slow", "useless office", "rude to me"))

_WORD_SPLIT = re.compile(r"[a-z0-9']+")


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").lower()
    return text.replace("’", "'").replace("\u200b", "")


def _has(text: str, cues: Sequence[str]) -> bool:
    for cue in cues:
        if cue.isascii():
            if re.search(rf"(?<![a-z]){re.escape(cue)}(?![a-z])", text):
                return True
        elif cue in text:
            return True
    return False


def matches(text: str, pair: Tuple[Sequence[str], Sequence[str]]) -> bool:
    low = normalise(text)
    return _has(low, pair[0]) or _has(low, pair[1])


#: opening before the permit ("证还没下来能先试营业几天吗"): whether it is allowed, not how long it takes
OPEN_FIRST = re.compile(r"先试?(营业|开业|开张|开门|卖)|试营业|"
                        r"\b(open|start selling|start trading|sell) (first|before)\b")
#: "how much do I get" asks what a benefit pays, not what the service costs: left to the meaning
BENEFIT = re.compile(r"(领多少|能拿多少|发多少|给多少|补多少|补贴多少|一个月多少|每月多少|每个月多少|能领到多少|报多少|"
                     r"how much (do|will|would|can) (i|we|he|she|they) (get|receive|claim)|how much a month|"
                     r"how much per month|how much each month|how much is (the |my |a )?([a-z' -]+ )?(allowance|grant|pension|subsidy|benefit)|"
                     # paying a hospital is how the bill is settled, not what the service costs
                     r"\bpay (the |my )?(hospital|doctor|clinic|medical bills?|hospital bills?)\b|"
                     # a free bus ride is what the card gives, not what it costs
                     r"\bfree (bus|buses|ride|rides|travel|entry|park)\b|免费(坐|乘)(车|公交)|(医院|看病|住院)的?(钱|费用?)怎么(付|交|结)|怎么(付|交|结)(医院|住院|看病)的?(钱|费))")


#: where money is paid to ("钱发到哪张卡", "which card is it paid to") is how it is collected, not where to apply
PAID_TO = re.compile(r"((发|打|存|转|汇)到哪|哪张卡|哪个卡|which (card|account)|paid (in)?to|"
                     r"where (does|will|do) (the|my|her|his|our) (money|allowance|pension|grant|payment)s? go)")


#: sending someone in one's place ("能叫儿子去不", "让闺女去行吗"): who is sent, whatever the relative
SENDS = re.compile(r"(让|叫|请|托|派|找)(我的?)?(儿子|女儿|闺女|孩子|子女|老伴|老婆|老公|媳妇|女婿|家人|家里人|亲戚|朋友|"
                   r"邻居|他|她)(去|来|帮|替|代)")


#: doing it for a grown-up ("can I replace it for her", "could we apply for my dad"): a child's own
#: application ("for my son") is the minor's matter, not an agent's
ACTS_FOR = re.compile(r"\b(can|could|may) (i|we) (\w+ ){1,3}for (her|him|them|my (mum|mom|mother|dad|father|parents?|"
                      r"wife|husband|grandma|grandpa|grandmother|grandfather))\b|"
                      # someone sent in one's place: "can my manager do the paperwork", "could my son go"
                      r"\b(can|could|may) (my|our) [a-z]+ (do|handle|go|apply|sort|submit|file|collect|take care)\b")


#: a job, not how a thing reaches them nor an order: "i'm a delivery driver", "我是送外卖的"
JOB = re.compile(r"\b(delivery|courier|taxi|truck|lorry|bus|van|uber|didi|ride-hailing|food) (drivers?|riders?|guys?|man|"
                 r"men|workers?|boys?|job)\b|外卖员|外卖小哥|外卖骑手|骑手|快递员|快递小哥|送外卖|跑外卖|送快递|跑快递|跑滴滴|开滴滴")
#: names of a matter made of an aspect's words ("proof of life" is the pension certification, not
#: a document to bring), and jobs: taken out before the aspect is read
TERMS = re.compile(r"proof of (life|being alive|existence)|life certificate|" + JOB.pattern)
#: a time clause that sets the scene ("拿到了要激活不", "once I get it, do I activate it"): the ask
#: comes after it
SCENE = re.compile(r"(拿到|领到|办好|办完)(了|以后|之后|后)(?![吗没么不]|\s*$)|[前这那]几天|[上下这本]个?(礼拜|星期|周)(?![一二三四五六日天末])|"
                   r"\b(once|after|when) (i|we) (get|have|receive|collect|pick up) it\b")


#: common misspellings of the words a question turns on: the cues above know them, and the
#: sentence encoder reads the mended text ("wher do i apply" is about where, not applying)
TYPOS = {"wher": "where", "whre": "where", "lomg": "long", "lnog": "long", "hwo": "how", "mcuh": "much",
         "documets": "documents", "documnets": "documents", "docs": "documents", "adress": "address",
         "onlin": "online", "pasport": "passport", "passprot": "passport", "appointmnet": "appointment",
         "appoinment": "appointment", "certficate": "certificate", "reciept": "receipt", "recipt": "receipt"}
_TYPO = re.compile(r"(?<![a-z])(" + "|".join(TYPOS) + r")(?![a-z])", re.I)


#: northern colloquial words the catalogue never uses, in the catalogue's words: e5 reads "俺…咋整"
#: as far from "我…怎么办" as from anything else, and the elderly say it that way
DIALECT = {"咋整": "怎么办", "咋办": "怎么办", "咋弄": "怎么办", "俺们": "我们", "俺": "我",
           "中不中": "行不行", "不中": "不行", "搁哪": "在哪", "走不动道": "走不动", "闺女": "女儿", "老头子": "老伴", "老婆子": "老伴", "娃": "孩子",
           "瘫在床上": "卧床", "瘫床上": "卧床", "躺在床上": "卧床", "退休金": "养老金", "退休工资": "养老金",
           "去一趟": "去", "去趟": "去"}
_DIALECT = re.compile("|".join(sorted(DIALECT, key=len, reverse=True)))


def mend(text: str) -> str:
    """The message with the common misspellings of question words put right and dialect words in
    the catalogue's own (the rest as written)."""
    return _DIALECT.sub(lambda m: DIALECT[m.group(0)], _TYPO.sub(lambda m: TYPOS[m.group(1).lower()], text))


#: telling us to hurry or be brief ("快点说", "quick pls", "keep it short"): how to answer, not what
SAY_IT_QUICK = re.compile(r"(快点|快些|赶紧|赶快)(儿)?(说|讲|告诉我)|(说|讲)快点|简单(说|讲)|"
                          r"\b(quick|quickly|fast) (pls|please|plz)\b|\bkeep it (short|brief)\b|\bbe quick\b|\bin short\b")


def aspect(text: str) -> Optional[str]:
    """The aspect of a matter a message asks about, or ``None``."""
    low = BUSY.sub(" ", SAY_IT_QUICK.sub(" ", SCENE.sub(" ", TERMS.sub(" ", normalise(text))))).replace("啥子", "啥")
    if BENEFIT.search(low) or OPEN_FIRST.search(low):
        return None
    if PAID_TO.search(low):
        return "collect"  # how the money reaches them: each such matter's "collect" says which card
    if FREQUENCY.search(low):
        return "frequency"
    if _has(low, MISSING[0]) or _has(low, MISSING[1]):
        return "missing"
    if HOW_LONG_TO_GET.search(low):
        return "time"  # "多久能拿到证": how long it takes, though "拿到" is how it is collected
    if WITHIN_MUST.search(low) or VALID_FOR.search(low):
        return "deadline"  # "几天以内要办", "how long is it good for": by when, not how long it takes
    found = _first(ASPECTS, low)
    if found == "materials" and TO_DO.search(low):
        found = "process"  # "what do I need to do first": what to do, not what to bring
    if found in CONTEXT_ONLY and not _asks(low, found):  # "去窗口要带啥": the window is where, the ask is 带啥
        found = _first(tuple(r for r in ASPECTS if r[0] != found), low) or found
    acts_for = SENDS.search(low) or ACTS_FOR.search(low)
    return "proxy" if found != "online" and acts_for else found  # proxy's place in ASPECTS' order


#: the aspects a second question in the same message can ask ("去哪弄 要几天", "how much is it, and where
#: do I go"): facts each answered in a sentence
SECOND_ASPECTS = ("fee", "time", "where", "hours", "deadline", "materials", "online")
_CLAUSES = re.compile(r"[，,。？?！!;；]+|(?<=[\u4e00-\u9fff])\s+|\s+(?=[\u4e00-\u9fff])|\band also\b|\band\b|\bn\b|&|\bplus\b")


def asked_aspects(text: str) -> Tuple[str, ...]:
    """The aspects the message's clauses ask, in order, when it asks more than one ("销户口要多长时间，
    要钱吗"): each clause read alone, so "过期了咋办" (one question, two cues) stays one."""
    found = []
    for clause in _CLAUSES.split(normalise(text)):
        named = aspect(clause) if clause and clause.strip() else None
        if named in SECOND_ASPECTS and named not in found:
            found.append(named)
    return tuple(found) if len(found) > 1 else ()


TO_DO = re.compile(r"\bneed to do\b|\bhave to do\b|\bdo first\b|先(办|做|干)(啥|什么|哪)")
#: the other person gets one of their own ("my wife is not working, can she get one too"): no agent
OWN_ONE_TOO = re.compile(r"\b(can|could|may|does|do|will) (she|he|they|my wife|my husband|my partner) (also )?"
                         r"(get|have|apply for|need) (one|it|a permit|a card)( too| as well| also)?\b|"
                         r"(她|他|老婆|老公|媳妇|爱人)(也)(能|可以|要|得)(办|领|申请)(一个|一张|吗|不)")
WITHIN_MUST = re.compile(r"(几|多少|多久|多长时间)个?(天|日|月|周|星期|年)?(以内|之内|内|里头|里)(就)?(要|得|必须|需要|一定要)|"
                         r"\bwithin how (long|many)\b|\bhow (many days|long) (do|have) (i|we) got\b")
VALID_FOR = re.compile(r"\bhow long (is|are|will|does|do) [a-z' ]{0,25}\b(good|valid|last|lasts)\b|\bvalid for how long\b|"
                       r"(能用|管|有效)(多久|多长时间|几个月|几天)")
HOW_LONG_TO_GET = re.compile(r"(多久|几天|多长时间|多少天|几个工作日)(才|就)?(能|可以)?(拿到|拿|领到|领|取到|下来|批下来)|"
                             r"how (long|many days|soon).{0,20}\b(get|collect|receive|have|pick) (it|them|the|my|up)\b")


#: cues that only set the scene when another aspect is asked: "去窗口要带啥" asks what to bring,
#: "photo requirements" what the photo must be, "and in person where" where to go
CONTEXT_ONLY: Dict[str, Sequence[str]] = {
    "where": ("窗口", "地址", "地点", "counter", "address", "location", "go to"),
    "eligibility": ("requirements", "条件"),
    "proxy": ("in person", "本人去", "亲自"),
}


def _cues_of(aspect_name: str) -> Tuple[Sequence[str], Sequence[str]]:
    """An aspect's (Chinese, English) cues."""
    return next((zh, en) for name, zh, en in ASPECTS if name == aspect_name)


def _asks(low: str, aspect_name: str) -> bool:
    """Whether the aspect is named by more than its scene-setting words."""
    context = CONTEXT_ONLY[aspect_name]
    return any(_has(low, [c for c in cues if c not in context]) for cues in _cues_of(aspect_name))


def names(text: str, aspect_name: str) -> bool:
    """Whether the words name this aspect at all (``aspect`` gives only the first that matches):
    "过期了咋办" names the deadline and asks what to do."""
    return matches(text, _cues_of(aspect_name))


#: a trouble told as a statement ("I can't find my social security card", "我的营业执照快到期了"):
#: it asks what to do as much as a question would
TROUBLE = re.compile(r"(丢了|丢失|弄丢|找不到|不见了|被偷|被盗|坏了|损坏|过期|到期|失效|掉了|"
                     r"\b(lost|can'?t find|cannot find|stolen|damaged|broken|expired|expires|expiring|run out|"
                     r"missing)\b)")


#: a thing named only by its kind ("卡丢了", "I lost my card", "证件找不到了"): the kind, its Chinese
#: word and the English words of a matter's name that make the matter one of that kind
KINDS: Dict[str, Tuple[str, Sequence[str]]] = {
    "card": ("卡", ("card",)),
    "certificate": ("证", ("certificate", "licence", "license", "permit")),
}
_KIND_WORDS = {"card": re.compile(r"卡|(?<![a-z])cards?(?![a-z])"),
               "certificate": re.compile(r"证(?!明)|(?<![a-z])(certificate|licen[cs]e|permit|document)s?(?![a-z])")}
#: asking what kind is needed ("要办啥证不", "what permit do I need"): theirs to learn, not a which-one to ask back
WHAT_KIND = re.compile(r"(啥|什么|哪些|哪种|哪类)(证|卡|执照|许可)|\bwhat (kind of |sort of )?(card|permit|certificate|licen[cs]e|paperwork)s?\b")
#: the thing under discussion pointed at, not named: "the card itself", "这张卡", "that permit"
THE_ONE = re.compile(r"\b(the|this|that) (card|certificate|licen[cs]e|permit|document)\b|[这那](张|个|本)?(卡|证)(?!明)")
#: taking on staff: their social insurance is the employer's to register ("we plan to hire 2 baristas",
#: "招了两个服务员"), whatever business it is
HIRING = re.compile(r"\b(hire|hiring|hired|employ|employing|recruit|recruiting|take on|taking on)\b.{0,24}"
                    r"\b(staff|workers?|employees?|people|baristas?|cooks?|chefs?|waiters?|waitress(es)?|assistants?|helpers?|"
                    r"\d+)\b|\bnew (staff|employees|workers)\b|"
                    r"(招|雇)了?(几个|一个|两个|俩|三个|\d+个)?新?(人|员工|工人|服务员|店员|厨师|帮工|小工)")
#: a home, as people name it ("at home" is where something happened, not a property)
HOME = re.compile(r"房子|房产|房本|住房|\b(flat|house|apartment|property)\b")
#: asking which permits or papers there are to get in all ("需要办哪些证", "what licences do I need")
WHICH_PERMITS = re.compile(r"办(哪些|啥|什么|哪几个)(证|执照|许可)|(哪些|哪几个)(证|执照|许可证)(要|得|需要)?办|"
                           r"\b(what|which) (permits|licen[cs]es)\b")
#: asking what more there is to do besides the matter discussed
ANYTHING_ELSE = re.compile(r"\b(anything else|what else|on top|as well|also need|other (paperwork|permits?|licen[cs]es?))\b|"
                           r"还(要|得|需要)(办|弄|申请)|别的(手续|证|事)|其他(手续|证|事)|另外还|还有啥|还有什么要")
#: another thing pointed at by a word of it: "the food one", "食品的那个"
POINTS_AT = re.compile(r"\b(the|that|this) [a-z]+ (one|thing)\b|.的那(个|张|本|项)|[\u4e00-\u9fff]{2}那(个|张|本|项)(证|卡|执照)")
#: cards that are not ours: a bank card named is not a question of which of ours
_NOT_OUR_KIND = re.compile(r"银行卡|信用卡|储蓄卡|电话卡|手机卡|bank card|credit card|debit card|sim card")


def kind_named(text: str) -> Optional[str]:
    """The kind of thing the message names ("card"), whichever one it means."""
    low = normalise(text)
    if _NOT_OUR_KIND.search(low):
        return None
    return next((kind for kind in KINDS if _KIND_WORDS[kind].search(low)), None)


def kind_word(kind: str, lang: str) -> str:
    """The word for the kind in a language ("卡", "card")."""
    zh, en = KINDS[kind]
    return en[0] if lang == "en" else zh


def of_kind(kind: str, name_zh: str, name_en: str) -> bool:
    """Whether a matter, by its names, is a thing of this kind (the social security card is a card)."""
    zh, en = KINDS[kind]
    low = normalise(name_en)
    return zh in name_zh.replace("证明", "") or any(re.search(rf"(?<![a-z]){w}(?![a-z])", low) for w in en)


def tells_trouble(text: str) -> bool:
    return bool(TROUBLE.search(normalise(text)))


def is_yes_no(text: str) -> bool:
    """"收费不", "can my son apply", and the question after a statement: "I'm his nephew, do I need a letter"."""
    low = normalise(text).strip()
    return bool(YES_NO_ZH.search(low) or any(YES_NO_EN.search(part) for part in re.split(r"[,;，；]", low)))


def _first(table: Sequence[Tuple[str, Sequence[str], Sequence[str]]], low: str) -> Optional[str]:
    """The name of the first row of ``table`` whose cues the normalised text contains."""
    return next((name for name, zh, en in table if _has(low, zh) or _has(low, en)), None)


#: a nationality said in passing ("我老公是美国人", "儿媳妇是越南的", "I'm a German national", "im british")
_COUNTRIES_ZH = ("美国|英国|德国|法国|日本|韩国|朝鲜|越南|加拿大|澳大利亚|澳洲|新西兰|俄罗斯|印度|泰国|菲律宾|马来西亚|新加坡|"
                 "巴西|意大利|西班牙|荷兰|瑞典|缅甸|老挝|柬埔寨|印尼|印度尼西亚|巴基斯坦|蒙古|哈萨克斯坦|尼日利亚|埃及|墨西哥|外国")
FOREIGN_NATIONAL = re.compile(
    rf"(({_COUNTRIES_ZH})(人|籍|国籍|护照|同事|朋友|员工|老公|老婆|丈夫|妻子|媳妇|女婿|小伙|姑娘)|"
    rf"({_COUNTRIES_ZH})的(呢|吧|啊|呀|$|[,，。?？!！])|从({_COUNTRIES_ZH})(来|过来|搬)|外籍|国籍不是中国|不是中国人|不是中国籍|(?<![a-z])("
    r"american|british|german|french|japanese|korean|vietnamese|canadian|australian|new zealander|"
    r"russian|indian|thai|filipino|filipina|malaysian|singaporean|brazilian|italian|spanish|dutch|swedish|"
    r"nigerian|egyptian|mexican|pakistani|mongolian|kazakh|burmese|laotian|cambodian|indonesian)(?![a-z])|"
    r"(?<![a-z])not (a )?chinese|(?<![a-z])[a-z]+ (national|citizen)(?![a-z])|"
    r"\b(is|are|'s|am|'m|comes?|came|moved|moving|relocated|relocating|arrived|engineer|teacher|worker|student|"
    r"employee|colleague|manager|expat|guy|woman|man|lady|national|citizen)( here| over| to jiangzhou| to china)? "
    r"(originally )?from (the )?(vietnam|japan|korea|south korea|america|us|usa|uk|britain|"
    r"england|germany|france|canada|australia|new zealand|russia|india|thailand|the philippines|philippines|"
    r"malaysia|singapore|brazil|italy|spain|netherlands|holland|sweden|myanmar|burma|laos|cambodia|indonesia|"
    r"pakistan|mongolia|kazakhstan|nigeria|egypt|mexico|abroad|overseas)\b)")


#: whether someone must be there themselves ("小孩本人也得去现场吗", "does she have to come along"): asked of
#: the child or the parent, not of a helper
PRESENCE = re.compile(r"(也)?(得|要|必须|需要)(去|到场|来|在场)|到现场|去现场|\b(have|has|need|needs) to (come|be there|go)\b|"
                      r"\bcome along\b|\bbe present\b")
#: just arrived in the city ("landed last week on a work visa", "刚来江州工作")
ARRIVED = re.compile(r"\b(landed|arrived|just came|just moved|moved here|came here|relocated|started (work|a job) here)\b|"
                     r"\b(moved|moving|came|coming|relocating) (over )?(to|into) (jiangzhou|the city|china|here)\b|"
                     r"\b(new (in|to) (town|jiangzhou|the city)|just got here)\b|"
                     r"\bwork visa\b|刚(来|到|搬来|搬到|过来)了?(江州|这边|这儿|这里|中国)|从.{1,8}(来|过来|搬来|搬到)了?(江州|这边|这儿|这里)|"
                     r"(来|到|过来)江州.{0,2}(工作|上班|打工|定居|生活|进厂)")
#: being busy is not a price ("I'm never free", "周末没空"): a fee word in it asks nothing
BUSY = re.compile(r"\b(i'?m|i am|am|are|is|be|never|not) (never |not |rarely |hardly ever )?free\b|\bfree time\b")
#: the family member is the one helping ("我闺女能帮我弄不", "can my son do it for me"): an agent
HELPS_ME = re.compile(r"(帮[我俺]|替[我俺]|给[我俺]办|给[我俺]弄|(让.{0,3}|(叫|喊|找|请)[我俺]?家?的?)"
                      r"(儿子|女儿|闺女|孩子|孙子|孙女|外孙|外孙女)(去|来|跑|领|代|帮|替|给|吗|不|行|呢|$)|for me|help me|on my behalf|"
                      r"send my (son|daughter|child|kid)|my (son|daughter) (go|goes|come|comes) instead)")


#: an age of 70 or more said in figures, as "七十" is in words ("俺今年71了", "i am 72")
OLD_AGE = re.compile(r"(?<![\d.])(7\d|8\d|9\d|1[01]\d)(周)?(岁|了)|\b(i'?m|i am|im|she'?s|he'?s|she is|he is|turn|turning|turned|"
                     r"aged?) (7\d|8\d|9\d|1[01]\d)\b(?! (yuan|rmb|kg|square|m2|sqm|percent|%))")
#: a child's age said instead of "child" ("can my 12 year old get one", "孩子才12岁")
CHILD_AGE = re.compile(r"\b([1-9]|1[0-7])[ -]?(years?|yrs?)[ -]?old\b|\b([1-9]|1[0-7]) ?(yo|y/o|yr old)\b|(?<![\d十])([1-9]|1[0-7]|十[一二三四五六七]?)(周)?岁(?!以上)")
#: where the person lives, not whom the matter is for: "I'm going to live with my son in Canada",
#: "跟着女儿在深圳住"
LIVES_WITH = re.compile(r"(liv(e|es|ing)|stay(s|ing)?|mov(e|es|ing)( in)?) (with|near) (my|our) (son|daughter|kids?|children)|"
                        r"(跟|和|随|投靠)(着)?(儿子|女儿|闺女|孩子)(一起)?(在|去|到|住|过|生活)|住(在)?(儿子|女儿|闺女)(家|那)|"
                        # "my son says my id card is running out": the son told them, it is not his card
                        r"\b(my )?(son|daughter|kids?|children) (says|said|told me|tells me|thinks|reckons)( that)? "
                        r"(i|i'm|my|me)\b|"
                        # someone who only told them: "a colleague mentioned I should...", "my friend said"
                        r"\b(a|my|our) (colleague|friend|neighbou?r|boss|landlord|coworker|co-worker)s? "
                        r"(mentioned|said|says|told me|tells me|reckons|thinks)\b|(儿子|女儿|闺女|孩子)(说|讲|告诉)(我|俺)|"
                        # the grandchild is a passenger or the one visited: "还想开车接送孙子", "坐火车去看闺女"
                        r"(接送|接|送|去看|看看|照顾|照看)(我|俺)?家?的?(儿子|女儿|闺女|孩子|孙子|孙女|外孙|外孙女)|"
                        # the child comes along: "my son can take me saturday", "闺女陪俺去"
                        r"\b(my )?(son|daughter|kids?|grandson|granddaughter) (can |will |could )?(take|takes|drive|drives|bring|"
                        r"brings|accompany|accompanies|come with|comes with|go with|goes with) (me|us)\b|"
                        r"(儿子|女儿|闺女|孩子|孙子|孙女)(能|会|可以)?(带|陪|送|开车送|领)(着)?(我|俺)|"
                        # where the child lives is where the person goes: "my daughter live there", "闺女在上海住"
                        r"\b(my|our) (son|daughter|kids?|children) (live|lives|living|stay|stays|is|are) (there|in [a-z]+)\b|"
                        r"(儿子|女儿|闺女|孩子)(家)?(在|住在)[\u4e00-\u9fff]{2,3}(住|那边|那儿|工作|上班)")


#: reaching retirement oneself ("我明年到退休年龄", "I retire next month"): the person's own matter, not
#: an older person's that someone else applies for
OWN_RETIREMENT = re.compile(r"(到|快到|要到|满)了?退休年龄|(快|要|明年|下个月|今年|马上)(就)?(要)?退休|"
                            r"\b(i|i'm|i am|i will|i'll) (be )?(retire|retiring|reach(ing)? retirement age)\b")


def who(text: str) -> Optional[str]:
    plain = normalise(text)
    low = OWN_RETIREMENT.sub(" ", LIVES_WITH.sub(" ", plain))
    if FOREIGN_NATIONAL.search(low) and "chinese citizen" not in low.replace("not a chinese citizen", ""):
        return "foreigner"
    found = _first(WHO, low) or ("minor" if CHILD_AGE.search(low) else "senior" if OLD_AGE.search(low) else None)
    if found == "agent" and OWN_ONE_TOO.search(low) and not OUTRIGHT_AGENT.search(low):
        return None  # she applies for her own, herself
    if found == "agent" and TOGETHER.search(low) and not OUTRIGHT_AGENT.search(low):
        return None  # the couple apply together: no one acts for another
    if found is None and HELPS_ME.search(low) and _first(WHO, plain) == "minor":
        return "agent"  # "my daughter live in shanghai she can do it for me": where she lives, and she helps
    return "agent" if found == "minor" and HELPS_ME.search(low) else found


#: someone besides the person asking: whether another may act for them needs one in the question
SOMEONE = re.compile(r"[他她]|继承人|双方|两个人|俩|全家|大家|所有人|别人|家人|家属|亲属|亲戚|朋友|代|替|帮|委托|子女|孩子|儿子|女儿|闺女|老伴|老公|老婆|媳妇|丈夫|妻子|"
                     r"爸|妈|爷|奶|姥|孙|哥|姐|弟|妹|\b(he|she|him|her|his|they|them|someone|somebody|anyone|anybody|else|family|"
                     r"relative|friend|wife|husband|partner|son|daughter|mum|mom|dad|mother|father|behalf|proxy|"
                     r"agent|instead|myself|in person|for me|brother|sister|grand\w*|uncle|aunt|kids?|child|colleague|"
                     r"neighbou?r|boss|employer|heirs?|everyone|everybody|both|all of us|each of us|people|my \w+)\b")


def names_someone(text: str) -> bool:
    return bool(SOMEONE.search(normalise(text)))


#: going to the doctor told as a need, not a booking asked for
SEES_A_DOCTOR = re.compile(r"看病|看医生|see a doctor|see the doctor|go to the doctor|go to hospital|go to the hospital")


#: a complaint is about a hospital's people when it names them and none of ours
#: ("that shanghai hospital doctor very rude to me", "医院那个大夫太凶了")
MEDICAL_PEOPLE = re.compile(r"医院|医生|大夫|护士|诊所|卫生院|\b(hospital|doctor|nurse|clinic|dentist)s?\b")
OUR_PEOPLE = re.compile(r"窗口|工作人员|你们|大厅|\b(window|counter|your staff|your office|service (hall|centre|center))\b")


#: a shop named by what it sells ("开个奶茶店", "a pizza place") is a business to register, not an order
SHOP = re.compile(r"(奶茶|披萨|外卖|快递|咖啡|蛋糕)(店|铺|摊|站|门店|加盟)|\b(pizza|takeaway|takeout|delivery|courier) "
                  r"(shop|place|business|restaurant|station|stall)s?\b")
#: asking us to recommend or find a seller (a school, a wedding venue, where tickets are cheap):
#: someone else's, however near a matter it sounds
RECOMMEND = re.compile(r"(推荐|介绍)(一?下|个|一家|几家|家|点)?.{0,8}(学校|影楼|婚纱|酒店|餐厅|饭店|婚礼|场地|律师|幼儿园|中介|装修|"
                       r"培训|月嫂|保姆|供应商|货源)|哪(里|儿|家)?(买|进|订|拍).{0,10}(便宜|划算|好)|(迪士尼|婚纱照|影楼|进货渠道)|"
                       r"\brecommend (a|an|some|me|any|good)\b|\b(tips|ideas) (on|for) (a |the )?(nice |good )?[a-z]* ?(venue|restaurant|hotel|school)|"
                       r"\b(wedding venue|international school|good school|where to buy|cheap(est)? tickets?|theme park)\b|"
                       r"哪(家|个|里|儿).{0,10}(好|靠谱|便宜|不错|划算).{0,6}推荐|买哪(款|种|台|只|家)|哪(款|种|台|家)(牌子)?(好用|划算|便宜)|哪(个|家|里|儿).{0,10}(工资|日结|待遇)(高|好)|"
                       r"\b(tips|advice|ideas) on (which|where) to\b|"
                       r"\b(which|best) (?!documents?|papers?|forms?|certificates?)[a-z]+( [a-z]+)? (should i |to )buy\b")


def not_ours(text: str) -> Optional[str]:
    low = JOB.sub(" ", SHOP.sub(" ", normalise(text)))
    found = "other" if RECOMMEND.search(low) else _first(NOT_OURS, low)
    if found in (None, "hospital") and matches(low, COMPLAINT_US) and MEDICAL_PEOPLE.search(low) and \
            not OUR_PEOPLE.search(low):
        return "hospital_complaint"
    return found


def is_question(text: str) -> bool:
    return bool(aspect(text)) or asks_outright(text)


def asks_outright(text: str) -> bool:
    """A question by its form (a question word, a question mark, yes or no), not only by its topic:
    "my id card runs out next month" tells a trouble."""
    low = normalise(text)
    return bool(is_yes_no(text) or "?" in low or  # NFKC makes "？" a "?"
                re.search(r"(怎么|咋|啥|什么|哪|几|多少|谁|how|what|where|when|which|who|why)", low))


def switch_language(text: str) -> Optional[str]:
    if matches(text, TO_ENGLISH):
        return "en"
    if matches(text, TO_CHINESE):
        return "zh"
    return None


CASE_STATUS = (("进度", "办到哪", "办得怎么样", "查一下我的", "查询", "状态", "办好了没", "办好没", "受理号", "办件", "编号",
                "审批", "批下来", "批了没", "通过了没", "审核到哪", "到哪一步", "哪一步了", "弄好了没", "办完了没"),
               ("status", "progress", "my application", "my case", "case number", "check on", "track",
                "reference number", "been approved", "application number", "how far along", "paperwork done",
                "application done", "done yet", "ready yet"))
#: an approval spoken of in general ("批下来以后", "once it's approved"): a case's own words are needed too
APPROVAL = re.compile(r"批下来|审批|批了|been approved|is approved|gets approved|once approved")
BOOK = (("预约", "约个", "约一个", "重新约", "再约", "约一下", "约时间", "预定", "排号", "取号", "订个时间", "挂个号办", "提前约", "要约吗", "得约吗", "需要约"),
        ("book", "appointment", "reserve", "schedule a", "time slot", "make a booking"))
#: a book that is a document, not a booking ("my birthday is wrong in my hukou book")
A_BOOK = re.compile(r"\b(hukou|household|residence|registration|family|bank|pass|account|record|red|green|blue)"
                    r"\s*(register\s*)?books?\b|\bbooklets?\b")
CANCEL_BOOKING = (("取消预约", "取消我的预约", "预约不去了", "退掉预约", "预约取消", "把预约取消", "取消那个预约"),
                  ("cancel my appointment", "cancel the appointment", "cancel my booking", "cancel the booking",
                   "cancel booking", "cancel appointment"))
#: "多久一次" asks how often, not how long: left to the catalogue's questions
FREQUENCY = re.compile(r"(多久.{0,4}(一次|一回)|隔多久|每隔|多长时间.{0,4}(一次|一回)|how often|every year|each year|"
                       r"once a year|how frequently)")
MISSING = (("缺什么", "缺啥", "缺个啥", "缺哪", "还差", "少了什么", "少啥", "补什么", "补啥", "补交"),
           ("missing", "what else do you need", "what's wrong with", "what is wrong with", "need to add",
            "still need"))

#: asking where a matter is handled ("which window"), not about the hall as a whole ("when do you close")
WINDOW = (("窗口", "哪办", "哪儿办", "哪里办", "在哪个", "去哪儿办", "去哪里办"),
          ("window", "counter", "where do i go", "where do i apply", "where to apply", "which desk", "which zone"))
#: the service hall itself, named without a matter ("我直接去大厅问")
HALL = (("大厅", "政务中心", "服务中心", "市民中心"), ("the hall", "service centre", "service center", "your office"))
#: the hall as the one asked ("你们几点下班", "when do you close"), not a matter's own hours
THE_HALL = (("你们", "大厅", "政务中心", "服务中心", "市民中心", "中心"), ("you", "your", "the hall", "the centre", "the center",
                                                                   "service centre", "service center"))
#: thanks, said at the end or after an answer: acknowledged, never asked back
THANKS = (("谢谢", "多谢", "感谢", "谢了", "辛苦了"), ("thanks", "thank you", "thx", "cheers", "appreciate it"))
BYE = (("再见", "拜拜", "回见"), ("bye", "goodbye", "see you"))
#: words of a matter we handle ("我想开个奶茶店要办啥证"): a request with them is not someone else's
OUR_BUSINESS = (("办", "证", "许可", "执照", "落户", "登记", "申请", "手续", "备案"),
                ("licence", "license", "permit", "register", "registration", "apply", "certificate", "hukou"))
#: a baby's age or a first hukou not yet done: "娃都一个多月了还没上户口", "she's 3 weeks old"
BABY_AGE = re.compile(r"(娃|孩子|宝宝|小孩|孙子|孙女|外孙|闺女|儿子|女儿).{0,4}([一两二三四五六七八九十几半1-9]|1[0-1])个多?月|"
                      r"(还没|没有|没)(上|报|落)户口|\b\d{1,2} (weeks?|months?) old\b|\bnot (yet )?registered (at|in) (the )?hukou\b")
#: a hukou for a new baby is its birth registration, not a hukou move ("孩子刚生下来咋上户口")
NEWBORN = (("刚生", "出生", "生下来", "生了", "新生儿", "宝宝", "婴儿", "孙子", "孙女", "外孙", "满月", "月子"),
           ("newborn", "new baby", "baby", "born", "grandson", "granddaughter", "infant"))

#: asking for a person: "你说的我听不懂" alone asks for simpler words, "有人打电话让我转账" is a scam
HANDOFF = (("人工", "工作人员", "真人", "客服", "找个人", "找人", "换个人", "有没有人", "领导", "窗口的人", "给我打",
            "有人能帮", "叫个人", "专人工", "仁工", "坐席"),
           # "staff", "agent" and "someone" alone are not asking for one: "gonna hire 3 staff", "can
           # someone else apply", "an agent needs a letter"
           ("human", "humen", "person", "to staff", "of staff", "staff member", "staff please", "the staff",
            "to an agent", "with an agent", "live agent", "agent please", "to someone", "with someone",
            "someone help", "someone who", "officer", "customer service", "call me", "operator", "representative"))

#: a question about the whole life event, not the step just discussed ("一共要带啥", "where is each done")
EVENT_WIDE = (("都", "全部", "所有", "每一步", "每一项", "各", "一共", "总共", "整个", "哪几", "清单", "一起办", "一块办", "一次办",
               "一并办", "一起弄"),
              ("all of", "all the", "all this", "all that", "all in one", "all online", "for all", "everything", "each", "in total", "altogether", "whole", "every step", "the steps", "checklist",
               "all together", "all at once", "in one go"))
#: asking for it sooner than the promised time ("加急能办吗" about a case under review)
EXPRESS = (("加急", "急用", "急着", "快一点", "能快点", "能不能快", "尽快", "催一下", "催催"),
           ("express", "urgent", "faster", "quicker", "speed it up", "speed up", "sooner", "hurry", "rush", "emergency"))
#: a journey told about ("下礼拜要坐高铁", "i have a flight on friday"): with a matter under way, why its
#: card is needed soon, not a ticket to sell; buying or booking the ticket is someone else's
TRIP = (("坐火车", "坐高铁", "坐动车", "坐飞机", "高铁", "火车", "动车", "飞机", "航班", "出差", "出远门"),
        ("train", "flight", "fly", "plane", "trip", "travel", "travelling", "traveling"))
BUY_TICKET = (("买票", "订票", "抢票", "买张", "订张", "帮我买", "帮我订", "能订", "订个", "买个", "订一张", "买一张"),
              ("book", "buy", "get me a ticket", "reserve"))
#: what comes next, asked after a case's status ("接下来还要我干啥", "what happens now")
WHAT_NEXT = (("接下来", "然后呢", "之后呢", "还要我干", "还要我做", "我还要干", "我还要做", "还得干啥", "还要干啥"),
             ("what happens now", "what happens next", "what now", "what next", "what's next", "then what",
              "what do i do now", "what should i do now", "what do i do next"))
#: asking to rate the service: the rating form's own words
RATE = (("评价", "打分", "评分", "打个分", "满意度", "几颗星", "几星", "反馈", "提意见", "给你们提", "点评"),
        ("rate", "rating", "feedback", "score", "stars", "review", "satisfaction", "survey"))
CUE_SETS: Dict[str, Tuple[Sequence[str], Sequence[str]]] = {
    "repeat": REPEAT, "newborn": NEWBORN, "handoff": HANDOFF, "window": WINDOW, "hall": HALL, "the_hall": THE_HALL,
    "thanks": THANKS, "bye": BYE, "our_business": OUR_BUSINESS, "simplify": SIMPLIFY, "leave": LEAVE, "lost_receipt": LOST_RECEIPT,
    "bereavement": BEREAVEMENT, "complaint": COMPLAINT_US, "case_status": CASE_STATUS, "book": BOOK,
    "cancel_booking": CANCEL_BOOKING, "event_wide": EVENT_WIDE, "express": EXPRESS, "what_next": WHAT_NEXT,
    "trip": TRIP, "buy_ticket": BUY_TICKET, "rate": RATE,
}


#: "走了 / 没了" mean a death only about a person ("我的身份证没了" is a lost card)
PASSED_AWAY = re.compile(r"(爸|妈|父亲|母亲|老伴|老汉|老爷子|爱人|老头|老太|爷爷|奶奶|外公|外婆|姥姥|姥爷|丈夫|妻子|老公|老婆|家人|亲人|儿子|女儿|"
                         r"哥|姐|弟|妹|公公|婆婆|岳父|岳母|老人|舅|姑|姨|叔|伯|侄|外甥).{0,8}(走了|人就没了|人没了|"
                         r"没了|不在了|去了|咽气)|"
                         r"\b(husband|wife|father|mother|dad|mum|mom|grand(father|mother|pa|ma)|brother|sister|son|"
                         r"daughter|partner|uncle|aunt) (has |just )?(passed|is gone|has gone)"
                         r"( on| last| yesterday| recently| earlier|\.|,|$)|"
                         r"\b(husband|wife|father|mother|dad|mum|mom|grand(father|mother|pa|ma)|brother|sister|son|"
                         r"daughter|partner|uncle|aunt)\b( he| she)? (die|dies|pass away|passes away|pass on|is die|was die)\b")


#: a matter's word said of who a person is, not of what they want done: "我妈是中国户口", "本地户口的",
#: "我退休了想开个小卖部", "I only have my pension", "since I retired", "我爸就领退休金", "she gets pension too". The matter the message asks
#: about is elsewhere in it (or it is a follow-up of the current one).
STATUS = re.compile(
    r"((是|有|属于|中国|本地|本市|江州|外地|农村|城镇|城市|非农|农业)户口(?!本|簿|迁|落|怎么迁|能迁|可以迁|要迁|咋迁|注销)|"
    r"户口(也|都|还)?(是|在)(本地|江州|这|外地|老家)|^\s*(退休了|退了休|退休后|退休以后|退休之后)(?=.{2,})|(是|从)(江州|这边|本地|单位|厂里|学校)?退休的|(我|俺|我们|已经|刚|早就|都|他|她|我妈|我爸|俺妈|俺爸|老伴|老头|爸|妈)退休了?(?!金|工资|费)(?=.{2,})|(只有|就有|光有|只靠|就靠|只领)(养老金|退休金)|"
    r"(?<!do )(?<!can )(?<!will )(?<!when )(?<!should )(?<!would )(?<!could )(?<!did )"
    r"\b(i|we)('m| am| are)? (only )?(have|get|receive|on|live on|draw) (a |my |our )?pension\b|"
    r"\b(he|she|they)('s| is| are)? (also |only |already )?(has|have|gets|get|receives|receive|draws|draw|on) "
    r"(a |his |her |their )?pension\b|"
    r"(我|俺|他|她|我爸|我妈|老伴|老头|老太太?)(也|就|只|光|还|都|已经)(在)?(领|拿|吃)(着)?(养老金|退休金|退休工资)|"
    r"\b(i'm|i am|we're|we are|since i|since we|i|we) (retired|have retired)\b|"
    r"\b(has|have|with) (a )?(jiangzhou|local|chinese) hukou\b|"
    r"\b(my|our|his|her|their) hukou (is|was|'s) (in|from|still in|registered in) [a-z]+|"
    r"(还)?(没|没有|未)(领|办|扯)?(结婚证|结婚|登记结婚)|未婚|(刚|已经)(结了?婚|领了?证)|新婚|"
    r"\b(just|recently|newly|already) (got )?married\b|\b(we|i) got married\b|\b(we|i)('re| are| am|'m)? ?(not|aren'?t|arent|never) ?(yet )?married\b|"
    r"\b(is|are|lives|living|works|working|studies|studying|stuck|'s|'re) (still )?(abroad|overseas)\b|(人)?在(国外|海外)|"
    r"(自己|个人|自个儿?)(交|缴)的?(社保|养老保险|保险)|没(有)?单位|灵活就业的?|"
    r"\b(i|we) (pay|paid|have paid|have been paying) (for )?(my|our) own (insurance|social insurance|pension|contributions)\b|"
    r"\b(i|we) (not |don'?t |do not |never )?(have|had|got) (a |any |no )?(company|employer|work unit)\b|\bno (company|employer)\b|"
    r"\b(i|we) pay (the |my |our )?(social )?insurance (by )?(myself|ourselves)\b|"
    r"\b(i|we) (pay|paid|have paid|have been paying) (for )?(my |our )?(insurance|social insurance|pension|contributions) "
    r"(myself|ourselves|on my own|by myself)\b|"
    r"\bno (company|employer)\b|\bself[- ]employed\b|\b(i )?freelanc(e|er|ing)\b|"
    r"\bunmarried\b|户口(还)?(在|是)(?!哪|什么|啥|几)[\u4e00-\u9fff]{2,4}(的)?(?=[，, ]|$|能|可以|行|有|影响|要))")


#: a message that only checks someone is there ("在吗", "有人吗?", "hello, anyone there"): a greeting,
#: though it ends in 吗 or a question mark
ONLY_GREETS = re.compile(
    r"^(你好|您好|喂|哈喽|嗨|hi|hello|hey|hallo)?[\s,，!！?？~～.。]*(请问)?[\s,，]*"
    r"(在吗|在么|在不在|在嘛|有人吗|有人在吗|有人么|有没有人在|你好|您好|喂|hi|hello|hey|hallo|"
    r"(is )?any(one|body) (there|here|around)|are you there|you there|is this working)?[\s?？!！~～.。]*$")


def only_greets(text: str) -> bool:
    low = normalise(text).strip()
    return bool(re.search(r"\w", low)) and bool(ONLY_GREETS.match(low))


def without_status(text: str) -> str:
    """The message with what it says of who the person is taken out (what is left is the request)."""
    return STATUS.sub(" ", normalise(text))


def only_status(text: str) -> bool:
    """Whether the message only says who the person is ("i not have company i pay the insurance
    myself", "我没单位 灵活就业的"): news for the question before, not a question of its own."""
    rest = without_status(text)
    return rest != normalise(text) and len(re.sub(r"[\W_]", "", rest)) <= 4


#: cancelling a booking however it is put ("cancel a booking", "取消一下明天的预约", "预约不要了")
CANCELS = re.compile(r"(取消.{0,6}(预约|预定|号)|(预约|预定|约的号).{0,4}(取消|不要了|不去了|退掉|作废)|"
                     r"\bcancel(l?ing)? (a |an |my |the |that |this |our |his |her )?([a-z]+ )?(booking|appointment|reservation)s?\b)")


#: "那咋办", "so what are my options": what to do about what was just said, nothing more
ONLY_WHAT_TO_DO = re.compile(r"^(那|那我|那我们|那该|那要|这)?(咋办|怎么办|咋整|怎么弄|咋弄|如何是好|有啥办法|有什么办法)[?？呢啊呀]*$|"
                             r"^(so |then |ok |okay )?(what are my options|what can i do|what do i do( then| now)?|"
                             r"any other way|what else can i do)[?!. ]*$")


#: a family fact told after an answer that depends on it ("i have a brother" after the deduction
#: for supporting parents, "我有个姐姐"): the same question, for that family
FAMILY_FACT = re.compile(
    r"^(but |and |well |also )?(i|we) (also )?(have|'ve got|got|have got) (a|an|one|two|three|\d+) "
    r"(older |younger |little |big )?(brother|sister|sibling|son|daughter|child|kid)s?\b|"
    r"^(但是|可是|不过|还有)?我(还|们)?有(个|一个|两个|三个)(哥哥|姐姐|弟弟|妹妹|兄弟|姐妹|孩子|儿子|女儿)")


def tells_family(text: str) -> bool:
    return bool(FAMILY_FACT.search(normalise(text).strip()))


def only_what_to_do(text: str) -> bool:
    return bool(ONLY_WHAT_TO_DO.match(normalise(text).strip()))


#: asking for the number to ring ("what number i call", "打哪个电话", "电话多少来着")
PHONE_ASK = re.compile(r"\b(what|which) (phone |telephone )?number\b|\bphone number\b|\bnumber (do |should |can )?i (call|ring)\b|"
                       r"打(哪个|什么|啥)电话|电话(号码)?(是)?多少|电话号码|打几号")
#: a hotline in a sentence (12345, 12333, 12348)
HOTLINE = re.compile(r"(?<!\d)1\d{4}(?!\d)")


#: "死" that only says how much ("饿死了", "累死人", "笑死"): nobody died
SO_MUCH = re.compile(r"(饿|累|困|热|冷|笑|气|烦|忙|渴|吓|急|愁|闷|憋|疼|痛|挤|冻|晒|晕|麻烦|无聊)死(了|人|我|俺)?|死活|"
                     r"\b(dead tired|dying (to|for)|bored to death|scared to death|sick to death)\b")


#: finding someone to act for another is asking about an agent, not for our staff ("能找人代他办吗")
FINDS_AN_AGENT = re.compile(r"找(个)?人(代|帮|替)|\bsomeone (else )?(to )?(apply|do it|go|sign) (for|on behalf)")


def says(text: str, move: str) -> bool:
    """Whether the message makes one of the conversational moves in ``CUE_SETS``."""
    if move == "handoff" and FINDS_AN_AGENT.search(normalise(text)):
        return False
    if move == "bereavement":
        text = SO_MUCH.sub(" ", normalise(text))
        if PASSED_AWAY.search(text):
            return True
    if move == "cancel_booking" and CANCELS.search(normalise(text)):
        return True
    if move == "newborn" and BABY_AGE.search(normalise(text)):
        return True
    if move == "book":
        text = A_BOOK.sub(" ", normalise(text))
    return matches(text, CUE_SETS[move])
