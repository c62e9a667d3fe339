"""What synthetic users say: question phrasings per matter and per follow-up, in Chinese and
English, and the real-sounding questions the assistant cannot answer (the FAQ candidates the
Spark job should find). Kept apart from the generator so the wording can grow without touching
the sampling logic."""

from __future__ import annotations

from typing import Dict, List, Tuple

#: matter -> (Chinese phrasings, English phrasings)
MATTER_QUESTIONS: Dict[str, Tuple[List[str], List[str]]] = {
    "id_card": (["身份证丢了怎么补办", "身份证过期了怎么换", "办身份证要带什么", "临时身份证怎么办理"],
                ["how do I replace a lost ID card", "my ID card expired, how to renew it"]),
    "household_registration": (["户口迁移怎么办理", "孩子上户口需要什么材料", "户口本丢了怎么补"],
                               ["how do I transfer my hukou", "what do I need to register a household"]),
    "passport": (["护照怎么办理", "护照过期了怎么换新", "办护照要多长时间", "护照加急可以吗"],
                 ["how do I apply for a passport", "how long does a passport take", "renew my passport"]),
    "residence_permit": (["居住证怎么申请", "居住证续签要什么材料", "居住证多久能拿到"],
                         ["how do I get a residence permit", "renew my residence permit"]),
    "social_security": (["社保怎么转移", "社保断缴了怎么补", "怎么查社保缴费记录"],
                        ["how do I transfer my social insurance", "check my social security payments"]),
    "pension_certification": (["养老金资格认证怎么做", "退休金认证在哪里弄", "老人养老金认证手机上能办吗"],
                              ["how do I do the pension certification", "pension qualification check online"]),
    "medical_insurance": (["医保怎么报销", "城乡居民医保怎么交", "异地就医怎么备案", "医保卡丢了怎么办"],
                          ["how do I claim medical insurance", "pay resident medical insurance"]),
    "provident_fund": (["公积金怎么提取", "租房可以提取公积金吗", "公积金贷款怎么申请"],
                       ["how do I withdraw my provident fund", "provident fund loan application"]),
    "business_license": (["营业执照怎么办", "个体户营业执照怎么申请", "营业执照变更地址"],
                         ["how do I get a business license", "register a small business"]),
    "marriage_registration": (["结婚登记要带什么", "结婚证在哪里领", "婚姻登记需要预约吗"],
                              ["what do we need to register our marriage", "where to get a marriage certificate"]),
    "birth_registration": (["出生证明怎么办", "新生儿怎么上户口", "出生医学证明丢了怎么补"],
                           ["how do I register a birth", "newborn registration documents"]),
    "driver_license": (["驾驶证到期怎么换证", "驾照丢了怎么补办", "驾驶证体检在哪里做"],
                       ["how do I renew my driving licence", "replace a lost driver's license"]),
    "elderly_allowance": (["高龄津贴怎么申请", "八十岁老人补贴怎么领", "老年人补贴在哪里申请"],
                          ["how do I apply for the elderly allowance", "allowance for people over 80"]),
    "property_registration": (["不动产登记怎么办", "房产证怎么办理", "二手房过户要什么材料"],
                              ["how do I register a property", "property title transfer documents"]),
    "individual_tax": (["个税年度汇算怎么弄", "个人所得税怎么退税", "专项附加扣除怎么填"],
                       ["how do I file my annual income tax", "how to get an income tax refund"]),
    "disability_certificate": (["残疾证怎么办理", "残疾人证换证需要什么", "残疾评定在哪里做"],
                               ["how do I apply for a disability certificate", "renew a disability card"]),
    "social_security_card": (["社保卡丢了怎么补", "新社保卡怎么激活", "电子社保卡怎么领"],
                             ["I lost my social security card", "how do I activate my social security card"]),
    "food_business_permit": (["开饭店要办食品经营许可证吗", "食品许可证怎么申请", "摆小吃摊要什么证"],
                             ["how do I get a food business permit", "what permit does a restaurant need"]),
    "pension_claim": (["到退休年龄了养老金怎么申领", "退休金怎么开始领", "灵活就业怎么办退休"],
                      ["how do I start drawing my pension", "I am retiring how do I claim my pension"]),
    "death_registration": (["家里老人去世了户口怎么注销", "死亡证明在哪里开", "人走了要去派出所销户吗"],
                           ["how do I register a death", "cancel my late father's hukou"]),
    "funeral_subsidy": (["丧葬费和抚恤金怎么领", "老人去世了养老金怎么停", "丧葬补助金多少钱"],
                        ["how do I claim the funeral grant", "stop my mother's pension after she died"]),
}

#: follow-up intent -> (topic override or None = stays on the matter, zh, en)
FOLLOW_UPS: Dict[str, Tuple[str, List[str], List[str]]] = {
    "book_appointment": ("book_appointment", ["我想预约", "帮我预约一下", "可以预约明天上午吗", "预约下周一"],
                         ["I'd like to book an appointment", "can I book for tomorrow morning"]),
    "case_status": ("case_status", ["我的案件<CASE>办到哪了", "查一下办理进度", "受理号<CASE>进度怎么样"],
                    ["what's the status of my application <CASE>", "check my case progress"]),
    "service_hall_info": ("service_hall_info", ["办事大厅几点开门", "政务大厅在哪里", "周六上班吗"],
                          ["when is the service hall open", "where is the service hall"]),
    "materials": ("", ["需要带什么材料", "要不要带户口本", "复印件要几份", "可以代办吗"],
                  ["what documents do I need", "can someone else apply for me", "how much does it cost"]),
    "affirm": ("", ["好的", "是的", "对", "嗯"], ["yes", "ok", "sure"]),
}
HANDOFF_TEXTS = (["转人工", "我要找人工客服", "能不能让工作人员跟我说", "听不懂，找人工"],
                 ["I want to talk to a person", "can I speak to staff", "human please"])
GOODBYE_TEXTS = (["谢谢，再见", "好的谢谢", "知道了，谢谢"], ["thanks, bye", "great, thank you"])
RATING_TEXTS = {
    5: (["非常满意", "非常满意，谢谢"], ["very satisfied", "5 stars, very satisfied"]),
    4: (["满意"], ["satisfied"]),
    3: (["基本满意", "还行吧，基本满意"], ["basically satisfied", "it was ok"]),
    2: (["不满意", "不满意，没解决"], ["dissatisfied", "not satisfied, did not help"]),
    1: (["非常不满意", "非常不满意，问了半天没用"], ["very dissatisfied", "very dissatisfied, useless"]),
}

#: Questions outside what the assistant knows: (zh themes, en themes); each theme is paraphrases.
UNANSWERED: Tuple[List[List[str]], List[List[str]]] = (
    [
        ["残疾人专用停车证怎么申请", "残疾人停车证在哪里办", "怎么办理残疾人车辆停车证", "残疾人停车证需要什么材料"],
        ["养狗要办证吗", "犬只登记在哪里办理", "养犬许可证怎么申请", "狗证过期了怎么年审"],
        ["楼上装修太吵了找谁投诉", "晚上施工噪音怎么投诉", "噪音扰民打哪个电话投诉", "工地半夜施工太吵怎么举报"],
        ["电动自行车怎么上牌", "电动车上牌需要什么材料", "电瓶车上牌在哪里办", "电动车牌照丢了怎么补"],
        ["积分入学怎么算分", "孩子积分入学需要什么材料", "随迁子女入学积分怎么查"],
        ["老年人免费乘车卡怎么办", "老人公交卡在哪里办理", "65岁以上免费坐公交要办什么卡", "老年卡坐地铁免费吗"],
        ["旧家具大件垃圾怎么预约清运", "大件垃圾谁来收", "旧沙发扔哪里"],
        ["退役军人优待证怎么申领", "优待证什么时候能拿到", "退役军人优待证在哪里办"],
        ["灵活就业人员社保补贴怎么申请", "灵活就业补贴在哪里领", "失业了能领什么补贴"],
    ],
    [
        ["how do I apply for a disabled parking permit", "where can I get a disabled parking badge",
         "disabled parking permit application documents"],
        ["do I need to register my dog", "where to get a dog license", "how to register a pet dog in the city"],
        ["who do I complain to about construction noise at night", "how to report noisy neighbours",
         "noise complaint hotline for building work"],
        ["how do I register an electric bike", "e-bike license plate application", "where to get a plate for my e-bike"],
        ["how do I get a work permit for foreigners", "foreigner work permit application",
         "where to apply for a foreign work permit"],
        ["how do I get a senior bus pass", "free bus card for elderly people", "apply for an elderly transit card"],
        ["how to apply for a public rental flat", "public housing application", "apply for affordable rental housing"],
    ],
)
ZH_PREFIXES = ["", "", "请问", "你好，", "想问一下", "麻烦问下"]
ZH_SUFFIXES = ["", "", "？", "呢", "啊", "？谢谢"]
EN_PREFIXES = ["", "", "hi, ", "hello, ", "please tell me "]
EN_SUFFIXES = ["", "", "?", " please", "? thanks"]
