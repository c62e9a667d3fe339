"""Write ``demo_catalogue.csv``: the invented city of Jiangzhou's service-matter list, in the shape
government catalogues are published (one row per matter or per handling item, Chinese headers),
with the optional English columns this project adds (English name and overview).

Run ``python -m knowledge.catalogue_import.make_demo`` after editing the tables below; the output
is deterministic, so the committed CSV only changes when the tables do. Matters the hand-written
YAML catalogue already has are listed too, as a real list would (the import skips them).

Table lines: ``名称 | English name | 简介 | English overview | 常用说法 | 特有材料(；) | 收费 | 法定/承诺 | 形式 | 办理项(/)``;
fields after the fourth may be empty (department defaults apply).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

OUT = Path(__file__).resolve().parent / "demo_catalogue.csv"
HALL = "江州市民中心（江州市人民路88号）"
HOURS = "工作日 9:00-12:00，13:30-17:00（周六 9:00-12:00 仅部分窗口）"
HEADER = ["事项编码", "事项名称", "英文名称", "实施主体", "实施主体（英文）", "办理项", "事项简介", "英文简介",
          "常用说法", "受理条件", "申请材料", "收费标准", "法定办结时限", "承诺办结时限", "办理地点", "办理时间",
          "咨询电话", "设定依据", "办理形式"]

#: 部门 | English | 编码前缀 | 地点 | 电话 | 法定/承诺 | 通用材料 | 设定依据
DEPARTMENTS = """
## 江州市公安局户政管理支队 | Jiangzhou Public Security Bureau, Household Registration | GAHZ | 江州市民中心A区公安户政窗口A1-A6号 | 0576-88110110 | 20/7 | 居民身份证（原件1份）；居民户口簿（原件1份） | 《中华人民共和国户口登记条例》
居民身份证办理 | Resident ID card | 居民身份证申领、换领、补领 | First, renewed or replacement resident ID card | 身份证 | 近期免冠照片（现场采集） | 首次申领和换领20元，补领40元 | 60/15 | 窗口
居民户口簿补领换领 | Replacing a lost or worn hukou booklet | 户口簿遗失、损坏后补领或换领 | Replace a hukou booklet that is lost, damaged or full | 户口本丢了、户口本坏了、补户口本 | 户口簿遗失声明（原件1份） | 不收费 | 7/3 | 窗口 | 补领/换领
公民姓名变更登记 | Changing a registered name | 为公民办理户籍姓名变更 | Change the name recorded on your hukou and ID card | 改名字、改名、更名 | 姓名变更申请书（原件1份）；未成年人需监护人同意书（原件1份） | 不收费 | 30/15 | 窗口
户籍登记项目更正 | Correcting hukou details (date of birth, ethnicity) | 更正户口登记的出生日期、民族等项目 | Correct a wrong date of birth, ethnicity or other hukou entry | 改出生日期、改年龄、改民族、户口信息错了 | 出生医学证明或原始档案（原件1份） | 不收费 | 30/20 | 窗口
户籍证明开具 | Household registration certificate | 开具户籍信息证明、注销户口证明等 | Certificate of your hukou record, or that a hukou was cancelled | 户籍证明、户口证明、开户籍证明 |  | 不收费 | 3/0 | 网办+窗口
临时居民身份证办理 | Temporary resident ID card | 身份证办理期间急需使用时申领临时身份证 | A temporary ID card while your resident ID card is being made | 临时身份证 | 近期免冠照片（现场采集） | 10元 | 3/0 | 窗口
分户登记 | Splitting a household (separate hukou) | 同一户内成员分立户口 | Split family members into a separate hukou of their own | 分户、拆户口、单独立户 | 房屋产权证明（原件及复印件各1份） | 不收费 | 20/10 | 窗口
无户口人员登记户口 | Registering a person with no hukou | 为事实无户口人员补登户口 | Register a hukou for someone who has never had one | 黑户、没有户口、补登户口 | 出生医学证明或亲子鉴定证明（原件1份） | 不收费 | 30/20 | 窗口
户口登记项目变更（文化程度、婚姻状况） | Updating education or marital status on the hukou | 户口簿文化程度、婚姻状况、服务处所等项目变更 | Update education, marital status or workplace on your hukou | 户口本上改学历、户口本改婚姻状况 | 毕业证书或结婚证（原件1份） | 不收费 | 5/1 | 网办+窗口
居民户口迁出 | Moving your hukou out of Jiangzhou | 户口迁往外省市的迁出登记 | Move your hukou from Jiangzhou to another city | 迁出户口、户口迁走、户口迁到外地 | 迁入地准予迁入证明（原件1份） | 不收费 | 10/3 | 窗口

## 江州市公安局出入境管理支队 | Jiangzhou Exit-Entry Administration | GACR | 江州市民中心A区出入境窗口A10-A14号 | 0576-88112345 | 15/7 | 本人有效护照或身份证件（原件1份） | 《中华人民共和国出境入境管理法》
外国人签证延期 | Visa extension for foreign nationals | 在华外国人签证有效期延长 | Extend a foreign national's visa while in China | 签证延期、续签证 | 延期事由证明材料（原件1份）；签证证件申请表（原件1份） | 160元起（按国籍对等收费） | 7/5 | 窗口
外国人工作类居留许可 | Work residence permit for foreigners | 在江州工作的外国人申请居留许可 | Residence permit for a foreign national working in Jiangzhou | 工作居留、外国人居留证、work permit residence | 外国人工作许可证（原件及复印件各1份）；体检证明（原件1份） | 一年以内400元，一至三年800元 | 15/10 | 窗口
外国人临时住宿登记 | Accommodation registration for foreign visitors | 外国人住在宾馆以外处所时的住宿登记 | Register where a foreign guest stays outside a hotel | 外国人住宿登记、外国朋友住我家 | 住房证明（复印件1份） | 不收费 | 1/0 | 网办+窗口
出入境记录查询 | Exit and entry record certificate | 查询并出具本人出入境记录 | Certificate of your own border crossings | 出入境记录、出国记录 |  | 不收费 | 7/0 | 网办+窗口
出入境证件报失 | Reporting a lost passport or travel permit | 护照、通行证丢失后的报失 | Report a lost or stolen passport or travel permit | 护照丢了、通行证丢了 | 报失申请表（原件1份） | 不收费 | 1/0 | 网办+窗口
外国人永久居留身份证申请 | Permanent residence for foreign nationals | 符合条件的外国人申请在华永久居留 | Apply for permanent residence (the "Chinese green card") | 中国绿卡、永久居留 | 无犯罪记录证明（原件1份）；体检证明（原件1份） | 1800元 | 180/120 | 窗口
台湾居民来往大陆通行证换发 | Mainland travel permit for Taiwan residents | 台湾居民在江州换发、补发台胞证 | Renew or replace a Taiwan resident's mainland travel permit | 台胞证 | 近期免冠照片（2张） | 五年有效100元 | 15/7 | 窗口
港澳台居民居住证申领 | Residence permit for Hong Kong, Macao and Taiwan residents | 在江州居住半年以上的港澳台居民申领居住证 | Residence permit for residents of Hong Kong, Macao or Taiwan living here | 港澳居民居住证、台湾居民居住证 | 居住证明（原件1份）；近期免冠照片（现场采集） | 不收费 | 20/15 | 窗口
外国人出生登记（在华出生外国婴儿） | Registering a foreign baby born in China | 在江州出生的外国籍婴儿办理停留居留 | Stay or residence papers for a foreign baby born in Jiangzhou | 外国宝宝出生、外籍婴儿 | 出生医学证明（原件及复印件各1份）；父母护照（原件1份） | 不收费 | 15/7 | 窗口

## 江州市公安局交通警察支队车辆管理所 | Jiangzhou Traffic Police Vehicle Administration | GAJG | 江州市车管所（江州市通港路100号） | 0576-88122122 | 20/1 | 机动车所有人身份证明（原件1份） | 《中华人民共和国道路交通安全法》
驾驶证换证与老年驾驶人业务 | Driving licence renewal | 驾驶证到期换证 | Renew a driving licence | 驾驶证换证 |  | 10元 | 1/0 | 窗口
机动车注册登记（新车上牌） | Registering a new car (number plates) | 新购机动车注册登记并核发号牌 | Register a newly bought vehicle and get its number plates | 新车上牌、上牌照、选号 | 购车发票（原件1份）；机动车整车出厂合格证明（原件1份）；交强险保单（原件1份） | 号牌100元，行驶证10元 | 2/0 | 网办+窗口
机动车转移登记（二手车过户） | Transferring a used car to a new owner | 二手车买卖后的机动车所有权转移登记 | Put a used car in the buyer's name | 二手车过户、车子过户、卖车 | 二手车销售统一发票（原件1份）；机动车登记证书（原件1份） | 不收费 | 2/0 | 窗口
机动车检验合格标志核发（年检） | Vehicle inspection sticker (annual check) | 机动车安全技术检验合格后核发检验合格标志 | Get the inspection mark after the periodic vehicle safety check | 车辆年检、车子年审、验车 | 交强险保单（原件1份） | 不收费 | 1/0 | 网办+窗口 | 6年内免检车辆/上线检验车辆
补领机动车行驶证 | Replacing a lost vehicle licence | 行驶证遗失、损毁后补领 | Replace a lost or damaged vehicle licence (xingshizheng) | 行驶证丢了、补行驶证 |  | 10元 | 1/0 | 网办+窗口
补领、换领机动车号牌 | Replacing lost or damaged number plates | 号牌遗失或损毁后补领换领 | Replace lost or damaged number plates | 车牌丢了、车牌掉了、补车牌 |  | 每面50元 | 15/1 | 窗口
交通违法处理（罚款缴纳） | Traffic violations and fines | 处理非现场交通违法记录并缴纳罚款 | Deal with a recorded traffic offence and pay the fine | 违章处理、交罚款、闯红灯被拍 | 驾驶证（原件1份） | 按违法行为罚款 | 1/0 | 网办+窗口
机动车驾驶证初次申领（考驾照） | Learning to drive: first driving licence | 初次申领机动车驾驶证并预约考试 | First driving licence: registration and driving tests | 考驾照、学车、驾考 | 体检证明（原件1份）；近期免冠照片（1张） | 考试费按科目收取 | 20/10 | 网办+窗口
机动车临时号牌核发 | Temporary number plates | 新车未上牌或转籍期间申领临时号牌 | Temporary plates before registration or when moving a car out | 临时牌照、临牌 | 购车发票（原件1份） | 5元 | 1/0 | 网办+窗口
机动车抵押登记 | Registering a car loan mortgage | 机动车抵押、解除抵押登记 | Register or release a mortgage on a vehicle | 车贷抵押、解押、车辆解除抵押 | 抵押合同（原件1份） | 不收费 | 1/0 | 窗口 | 抵押登记/解除抵押登记
机动车注销登记（报废） | Deregistering a scrapped vehicle | 机动车报废、灭失后的注销登记 | Deregister a car that is scrapped or lost | 车子报废、报废车注销 | 报废机动车回收证明（原件1份） | 不收费 | 1/0 | 窗口
电动自行车登记上牌 | Registering an e-bike | 电动自行车登记并核发号牌 | Register an electric bicycle and get its plate | 电瓶车上牌、电动车上牌、电动车牌照 | 购车发票（原件1份）；产品合格证（原件1份） | 不收费 | 1/0 | 网办+窗口

## 江州市公安局 | Jiangzhou Public Security Bureau | GAZA | 江州市民中心A区公安综合窗口A7-A9号 | 0576-88110000 | 20/5 | 居民身份证（原件1份） | 《中华人民共和国治安管理处罚法》
无犯罪记录证明开具 | Certificate of no criminal record | 为个人开具无犯罪记录证明 | A certificate that you have no criminal record | 无犯罪证明、良民证 | 用途说明（原件1份） | 不收费 | 3/1 | 网办+窗口
犬只登记（养犬证） | Dog registration | 城区饲养犬只登记并发放犬牌 | Register a pet dog and get its tag | 养狗证、狗证、办狗牌 | 犬只免疫证明（原件1份）；犬只照片（2张） | 不收费 | 5/1 | 网办+窗口
旅馆业特种行业许可证 | Hotel business permit (public security) | 开办旅馆、民宿的特种行业许可 | Public-security permit to run a hotel or guesthouse | 开宾馆、开民宿、开旅馆 | 营业执照（复印件1份）；消防安全检查合格证明（复印件1份） | 不收费 | 20/10 | 窗口
公章刻制备案 | Registering a company seal | 单位新刻、重刻印章的备案 | Register a newly made or replaced company seal | 刻公章、刻章 | 营业执照（复印件1份） | 不收费 | 1/0 | 网办+窗口
烟花爆竹燃放许可 | Permit for a fireworks display | 举办焰火晚会等大型燃放活动许可 | Permit for a fireworks display | 放烟花审批、焰火表演 | 燃放作业单位资质证明（复印件1份）；燃放方案（原件1份） | 不收费 | 20/10 | 窗口
大型群众性活动安全许可 | Safety permit for a large public event | 预计参加人数1000人以上的活动安全许可 | Safety permit for an event with 1,000 or more people | 办演唱会审批、大型活动报备 | 活动安全工作方案（原件1份）；场地使用证明（复印件1份） | 不收费 | 7/5 | 窗口
保安服务公司设立许可 | Licence to set up a security company | 设立保安服务公司的许可 | Licence for a security-guard company | 开保安公司 | 公司章程（复印件1份）；拟任保安管理人员资格证明（复印件1份） | 不收费 | 20/15 | 窗口
剧毒化学品购买许可 | Permit to buy highly toxic chemicals | 购买剧毒化学品的许可证 | Permit to buy highly toxic chemicals | 买剧毒化学品 | 剧毒化学品用途说明（原件1份） | 不收费 | 3/2 | 窗口
机动车驾驶人交通事故认定复核 | Reviewing a traffic accident finding | 对交通事故认定书不服申请复核 | Ask for a review of a traffic accident finding you disagree with | 事故认定不服、复核事故责任 | 道路交通事故认定书（复印件1份）；复核申请书（原件1份） | 不收费 | 30/20 | 窗口

## 江州市民政局 | Jiangzhou Civil Affairs Bureau | MZ | 江州市民中心C区民政窗口C1-C6号 | 0576-88120000 | 20/10 | 申请人居民身份证（原件1份）；居民户口簿（原件1份） | 《社会救助暂行办法》
结婚登记 | Marriage registration | 结婚登记 | Marriage registration | 领证 |  | 不收费 | 1/0 | 窗口
最低生活保障申请（低保） | Minimum living allowance (dibao) | 家庭人均收入低于低保标准的家庭申请低保 | Monthly support for households with income below the minimum | 低保、吃低保、申请低保 | 家庭收入和财产申报表（原件1份）；授权核对书（原件1份） | 不收费 | 30/20 | 网办+窗口
特困人员救助供养 | Support for people in extreme poverty | 无劳动能力、无生活来源、无赡养人的特困人员救助 | Support for people with no income, no ability to work and no family to support them | 五保户、特困供养 | 特困人员救助供养申请书（原件1份） | 不收费 | 30/20 | 窗口
临时救助申请 | Emergency hardship assistance | 因急难事件导致生活困难的临时救助 | One-off help after a sudden hardship (illness, accident, disaster) | 临时救助、急难救助、家里出事了没钱 | 困难情况证明（原件1份） | 不收费 | 10/3 | 网办+窗口
收养登记 | Registering an adoption | 中国公民收养子女登记 | Register the adoption of a child | 领养孩子、抱养、收养小孩 | 收养人健康检查证明（原件1份）；被收养人出生证明（原件1份） | 不收费 | 30/30 | 窗口
社会团体成立登记 | Registering a social organisation | 协会、学会、商会等社会团体成立登记 | Register an association, society or chamber of commerce | 成立协会、成立商会 | 社团章程草案（原件1份）；发起人身份证明（复印件1份） | 不收费 | 60/20 | 网办+窗口
民办非企业单位登记 | Registering a private non-profit institution | 民办学校、养老院等社会服务机构登记 | Register a private non-profit service institution | 民非、社会服务机构登记 | 机构章程（原件1份）；场所使用证明（复印件1份） | 不收费 | 60/20 | 网办+窗口
养老机构备案 | Registering a care home | 设立养老机构的备案 | Register a new care home for older people | 开养老院、养老院备案 | 消防验收材料（复印件1份）；养老机构备案书（原件1份） | 不收费 | 20/5 | 网办+窗口
困境儿童基本生活保障 | Living allowance for children in difficulty | 父母重残重病等困境儿童的基本生活补贴 | Living allowance for children whose parents cannot care for them | 困境儿童补贴、事实无人抚养儿童 | 儿童出生证明（复印件1份）；父母困难情况证明（原件1份） | 不收费 | 30/20 | 窗口
残疾人两项补贴（生活补贴和护理补贴） | Living and nursing subsidies for disabled people | 困难残疾人生活补贴和重度残疾人护理补贴 | Living subsidy for poor disabled people and nursing subsidy for severe disability | 残疾人补贴、护理补贴、重残补贴 | 残疾人证（原件1份） | 不收费 | 20/15 | 网办+窗口
婚姻登记档案查询 | Marriage record certificate | 查询婚姻登记档案并出具证明 | Look up a marriage registration record and get a certificate | 结婚记录证明、查结婚档案、婚姻档案 | 查档申请表（原件1份） | 不收费 | 5/1 | 窗口
慈善组织认定 | Recognising a charity | 社会组织申请认定为慈善组织 | Have a registered organisation recognised as a charity | 慈善组织资格 | 慈善组织认定申请书（原件1份）；财务审计报告（原件1份） | 不收费 | 20/15 | 网办+窗口
孤儿基本生活费申领 | Living allowance for orphans | 孤儿基本生活费发放 | Monthly living allowance for orphans | 孤儿补贴、孤儿生活费 | 父母死亡证明（复印件1份） | 不收费 | 30/20 | 窗口

## 江州市殡葬管理所 | Jiangzhou Funeral Administration | BZ | 江州市殡仪馆服务大厅（江州市青山路2号） | 0576-88129999 | 10/1 | 逝者居民身份证（原件1份）；经办人居民身份证（原件1份） | 《殡葬管理条例》
惠民殡葬基本服务费用减免 | Free basic funeral services | 本市户籍逝者遗体接运、火化等基本殡葬服务费用减免 | Free basic funeral services for registered residents | 火化费减免、殡葬费用减免 | 死亡医学证明（原件1份） | 不收费 | 1/0 | 窗口
骨灰安放（公益性公墓） | A place in a public cemetery | 公益性公墓骨灰安放申请 | Apply for a place for ashes in a public cemetery | 公墓、买墓地、骨灰存放 | 火化证明（原件1份） | 按公墓价目表收费 | 10/3 | 窗口
海葬与树葬补贴 | Subsidy for sea or tree burial | 选择海葬、树葬等节地生态安葬的补贴 | Subsidy for choosing sea scattering or tree burial | 海葬、树葬、生态安葬补贴 | 火化证明（原件1份） | 不收费 | 20/10 | 窗口

## 江州市人力资源和社会保障局 | Jiangzhou Human Resources and Social Security Bureau | RS | 江州市民中心B区人社窗口B1-B10号 | 0576-12333 | 20/10 | 居民身份证（原件1份） | 《中华人民共和国就业促进法》
失业保险金申领 | Unemployment benefit | 失业后申领失业保险金 | Claim unemployment benefit after losing your job | 失业金、失业补助、领失业金 | 解除劳动合同证明（原件1份） | 不收费 | 10/3 | 网办+窗口
就业创业证申领 | Employment and entrepreneurship card | 就业失业登记并核发就业创业证 | Register as unemployed or self-employed and get the employment card | 就业失业登记、失业证、就业证 | 近期免冠照片（1张） | 不收费 | 5/1 | 网办+窗口
工伤认定申请 | Work injury recognition | 职工受伤后申请认定为工伤 | Have an injury at work recognised as a work injury | 工伤、上班受伤、工伤鉴定 | 工伤认定申请表（原件1份）；医疗诊断证明（原件1份）；劳动关系证明（复印件1份） | 不收费 | 60/30 | 窗口
劳动能力鉴定 | Work capacity assessment | 工伤职工劳动能力、伤残等级鉴定 | Assessment of disability grade after a work injury | 伤残等级鉴定、工伤评残 | 工伤认定决定书（复印件1份）；病历资料（复印件1份） | 不收费 | 60/40 | 窗口
劳动人事争议仲裁申请 | Labour dispute arbitration | 劳动者与用人单位发生争议申请仲裁 | Arbitration of a dispute with your employer | 劳动仲裁、告老板、公司不给赔偿 | 仲裁申请书（原件3份）；劳动关系证明（复印件1份） | 不收费 | 45/45 | 窗口
拖欠工资投诉（劳动保障监察） | Complaint about unpaid wages | 用人单位拖欠工资等违法行为投诉 | Complain about unpaid wages or other labour-law breaches | 欠薪、工资不发、老板欠钱不给 | 投诉书（原件1份）；工资欠条或考勤记录（复印件1份） | 不收费 | 60/20 | 网办+窗口
创业担保贷款申请 | Guaranteed start-up loan | 创业人员申请政府贴息的创业担保贷款 | Interest-subsidised loan for people starting a business | 创业贷款、贴息贷款 | 营业执照（复印件1份）；创业计划书（原件1份） | 不收费 | 20/10 | 网办+窗口
职业技能提升补贴 | Subsidy for gaining a skills certificate | 参保职工取得职业技能证书后申领补贴 | Subsidy for employees who gain a vocational skills certificate | 技能补贴、考证补贴 | 职业技能等级证书（复印件1份）；社会保障卡（原件1份） | 不收费 | 20/10 | 网办
高校毕业生就业见习补贴 | Internship subsidy for graduates | 见习单位吸纳高校毕业生就业见习的补贴 | Subsidy for employers offering internships to graduates | 见习补贴、毕业生见习 | 见习协议（复印件1份）；见习人员花名册（原件1份） | 不收费 | 20/10 | 网办
流动人员人事档案存放 | Keeping your personnel file | 流动人员人事档案接收、转出和证明 | Keep, transfer or certify your personnel file (dang'an) | 存档案、档案转出、人事档案 | 档案转递通知（原件1份） | 不收费 | 10/3 | 网办+窗口 | 档案接收/档案转出
专业技术职称评审 | Professional title assessment | 专业技术人员申报职称评审 | Apply for a professional title (engineer, senior engineer) | 评职称、申报职称 | 职称申报表（原件1份）；学历证书（复印件1份）；业绩材料（复印件1份） | 不收费 | 90/60 | 网办
职业技能等级证书查询 | Checking a vocational skills certificate | 职业资格和技能等级证书查询核验 | Check that a vocational qualification or skills certificate is genuine | 查技能证书、证书真伪 |  | 不收费 | 1/0 | 网办
企业职工退休审批（特殊工种提前退休） | Early retirement for hazardous jobs | 从事特殊工种满规定年限的职工提前退休审批 | Approval of early retirement after years in a hazardous job | 提前退休、特殊工种退休 | 特殊工种档案记录（复印件1份） | 不收费 | 20/15 | 窗口

## 江州市医疗保障局 | Jiangzhou Healthcare Security Administration | YB | 江州市民中心B区医保窗口B11-B18号 | 0576-88131313 | 20/5 | 参保人居民身份证或社会保障卡（原件1份） | 《中华人民共和国社会保险法》
门诊慢特病待遇认定 | Chronic and special disease outpatient cover | 高血压、糖尿病等慢特病门诊待遇认定 | Extra outpatient cover for chronic diseases such as diabetes or hypertension | 慢性病卡、慢病认定、门特 | 近两年病历及检查报告（复印件1份） | 不收费 | 20/10 | 网办+窗口
生育津贴申领 | Maternity allowance | 职工生育后申领生育津贴和生育医疗费 | Maternity allowance and childbirth medical costs for employees | 生育保险报销、产假工资 | 出生医学证明（复印件1份）；住院费用发票（原件1份） | 不收费 | 20/10 | 网办+窗口
城乡居民基本医疗保险参保登记 | Enrolling in residents' medical insurance | 无职工医保的城乡居民参保登记和缴费 | Enrol in residents' medical insurance when you have no employer cover | 居民医保、交医保、买医保 | 居民户口簿（原件1份） | 按年度个人缴费标准缴费 | 5/0 | 网办+窗口
基本医疗保险关系转移接续 | Transferring medical insurance from another city | 跨统筹区就业后医保关系转移 | Move your medical insurance record from another city | 医保转移、医保转过来 | 参保凭证（原件1份） | 不收费 | 45/15 | 网办+窗口
职工医保个人账户家庭共济 | Sharing your medical account with family | 职工医保个人账户资金给家庭成员使用 | Let family members use your medical insurance personal account | 医保家庭共济、医保卡给家人用 | 家庭关系证明（复印件1份） | 不收费 | 1/0 | 网办
医疗救助申请 | Medical assistance for low-income families | 低保、特困等困难人员医疗费用救助 | Help with medical bills for low-income families | 看病困难补助、医疗救助、大病救助 | 低保证或特困证（复印件1份）；医疗费用票据（原件1份） | 不收费 | 20/10 | 窗口
长期护理保险待遇申请 | Long-term care insurance | 失能人员申请长期护理保险待遇 | Care benefits for people who cannot look after themselves | 长护险、失能护理 | 失能评估申请表（原件1份）；病历资料（复印件1份） | 不收费 | 30/20 | 网办+窗口
定点医药机构申请 | Becoming a designated medical insurance provider | 医疗机构、药店申请医保定点 | Apply for a clinic or pharmacy to accept medical insurance | 药店医保定点、诊所开通医保 | 医疗机构执业许可证或药品经营许可证（复印件1份） | 不收费 | 90/60 | 网办
新生儿参保登记 | Medical insurance for a newborn | 新生儿出生后参加居民医保 | Enrol your newborn in residents' medical insurance | 宝宝医保、新生儿医保 | 出生医学证明（复印件1份） | 按年度缴费标准缴费 | 5/0 | 网办+窗口

## 江州市住房和城乡建设局 | Jiangzhou Housing and Urban-Rural Development Bureau | ZJ | 江州市民中心D区住建窗口D1-D8号 | 0576-88140000 | 20/10 | 申请人身份证明（原件1份） | 《中华人民共和国建筑法》
建筑工程施工许可证核发 | Building construction permit | 建设单位开工前申领施工许可证 | Construction permit before building work starts | 施工许可、开工证 | 建设工程规划许可证（复印件1份）；施工合同（复印件1份） | 不收费 | 7/3 | 网办
商品房预售许可 | Off-plan sales permit | 开发企业预售商品房的许可 | Permit for a developer to sell flats before completion | 预售证、期房预售 | 国有土地使用证（复印件1份）；工程进度证明（原件1份） | 不收费 | 10/5 | 网办
公共租赁住房申请 | Public rental housing | 中低收入住房困难家庭申请公租房 | Rent a public rental flat if your family has low income and no home | 公租房、廉租房、申请政府的房子 | 家庭收入证明（原件1份）；无房证明（原件1份） | 不收费 | 60/30 | 网办+窗口
住房租赁合同登记备案 | Registering a rental contract | 房屋租赁合同登记备案 | Register a residential lease | 租房备案、租赁备案 | 租赁合同（原件1份）；房屋权属证明（复印件1份） | 不收费 | 3/0 | 网办+窗口
商品房买卖合同网签备案 | Online registration of a home purchase contract | 新建商品房买卖合同网签和备案 | Register the purchase contract of a newly built home | 网签、购房合同备案 | 商品房买卖合同（原件1份） | 不收费 | 3/1 | 网办
住宅室内装饰装修备案 | Registering home renovation | 住宅装修开工前向物业和主管部门备案 | Register home renovation work before it starts | 装修备案、装修登记 | 装修方案（原件1份）；装修企业资质（复印件1份） | 不收费 | 5/1 | 网办+窗口
既有住宅加装电梯补贴 | Subsidy for adding a lift to an old building | 老旧住宅加装电梯的财政补贴 | Subsidy for adding a lift to an existing residential building | 加装电梯、老楼装电梯 | 业主同意书（原件1份）；施工合同（复印件1份） | 不收费 | 30/20 | 窗口
新就业大学生租房补贴 | Rent subsidy for new graduates | 来江州就业的高校毕业生租房补贴 | Rent subsidy for university graduates starting work in Jiangzhou | 大学生租房补贴、毕业生住房补贴 | 毕业证书（复印件1份）；劳动合同（复印件1份）；租赁合同（复印件1份） | 不收费 | 30/15 | 网办
建筑业企业资质核准 | Construction company qualification | 建筑施工企业资质申请和升级 | Qualification certificate for a construction company | 施工资质、建筑资质 | 企业资质申请表（原件1份）；技术负责人证书（复印件1份） | 不收费 | 20/15 | 网办
房屋安全鉴定 | House safety assessment | 对存在安全隐患的房屋进行鉴定 | Safety assessment of a building that may be unsafe | 危房鉴定、房子裂缝 | 房屋权属证明（复印件1份） | 按鉴定面积收费 | 30/20 | 窗口
物业服务投诉 | Complaint about a property management company | 对物业服务企业的投诉处理 | Complaint about your property management company | 投诉物业、物业不作为 | 投诉书（原件1份） | 不收费 | 30/15 | 网办+窗口

## 江州市不动产登记中心 | Jiangzhou Real Estate Registration Centre | BDC | 江州市民中心D区不动产窗口D10-D20号 | 0576-88150000 | 30/5 | 申请人身份证明（原件1份）；不动产权证书（原件1份） | 《不动产登记暂行条例》
不动产登记（房产证办理与过户） | Real-estate registration | 房产证办理与过户 | Title deed and transfer | 房本 |  | 80元 | 30/5 | 窗口
不动产抵押权登记 | Registering a mortgage on property | 房屋抵押贷款的抵押权设立、注销登记 | Register or release a mortgage on a home | 房子抵押、房贷抵押、解押 | 抵押合同（原件1份）；主债权合同（原件1份） | 80元 | 30/1 | 网办+窗口 | 抵押权首次登记/抵押权注销登记
不动产登记资料查询 | Property records search | 查询本人名下不动产登记信息 | Search the property register (what is in your name) | 查房产、房产查档、查名下有几套房 | 查询申请书（原件1份） | 不收费 | 1/0 | 网办+窗口
不动产预告登记 | Advance registration of a property purchase | 期房买卖的预告登记 | Advance registration when buying a home off-plan | 预告登记、期房登记 | 商品房买卖合同（原件1份） | 不收费 | 30/3 | 网办+窗口
不动产更正登记 | Correcting the property register | 登记簿记载错误的更正 | Correct a mistake in the property register | 房产证写错了、更正房产证 | 证明登记错误的材料（原件1份） | 不收费 | 30/10 | 窗口
不动产权证书遗失补证 | Replacing a lost title deed | 不动产权证书遗失、灭失后补发 | Replace a lost property title deed | 房产证丢了、补房产证 | 遗失声明（原件1份） | 工本费10元 | 30/10 | 窗口
不动产继承登记 | Inheriting property | 继承、受遗赠取得不动产的转移登记 | Register property you inherited | 继承房子、房产继承、遗产房子过户 | 死亡证明（原件1份）；继承权公证书或生效法律文书（原件1份） | 80元 | 30/5 | 窗口

## 江州市市场监督管理局 | Jiangzhou Market Regulation Administration | SJ | 江州市民中心E区市场监管窗口E1-E10号 | 0576-12315 | 20/3 | 经营者身份证明（原件1份） | 《中华人民共和国市场主体登记管理条例》
个体工商户注销登记 | Closing a sole-trader business | 个体工商户歇业后的注销登记 | Close down a sole-trader business | 个体户注销、关店注销 | 注销登记申请书（原件1份）；营业执照正副本（原件1份） | 不收费 | 10/1 | 网办+窗口
企业名称自主申报 | Reserving a company name | 企业设立前名称自主申报 | Check and reserve a name for a new company | 公司起名、核名 |  | 不收费 | 1/0 | 网办
企业年度报告公示 | Company annual report | 企业每年1月1日至6月30日报送年度报告 | File your company's annual report (January to June) | 企业年报、工商年检 |  | 不收费 | 1/0 | 网办
食品生产许可 | Food production licence | 食品生产企业的生产许可 | Licence to manufacture food | 食品SC证、食品厂许可证 | 食品生产许可申请书（原件1份）；生产工艺流程图（原件1份） | 不收费 | 20/10 | 网办+窗口
食品小作坊登记 | Registering a small food workshop | 食品小作坊登记证办理 | Registration for a small food workshop | 小作坊登记、做糕点作坊 | 作坊平面图（原件1份） | 不收费 | 15/5 | 窗口
特种设备使用登记 | Registering special equipment (lifts, boilers) | 电梯、锅炉、压力容器等特种设备使用登记 | Register a lift, boiler or pressure vessel before use | 电梯登记、锅炉登记 | 特种设备监督检验证明（复印件1份）；产品合格证（复印件1份） | 不收费 | 15/3 | 网办+窗口
工业产品生产许可证 | Industrial product production licence | 列入目录的工业产品生产许可 | Licence to make industrial products on the licensing list | 生产许可证、电线电缆许可 | 产品检验报告（原件1份） | 不收费 | 60/30 | 网办
消费投诉举报 | Consumer complaint | 消费者权益受到侵害的投诉举报 | Complain about a shop, a product or a service | 12315投诉、买到假货、商家不退款 | 购物凭证（复印件1份） | 不收费 | 7/7 | 网办+窗口
计量器具强制检定 | Mandatory calibration of measuring instruments | 贸易结算用电子秤、加油机等计量器具检定 | Mandatory checks of scales, fuel pumps and other trade instruments | 电子秤检定、校秤 | 计量器具清单（原件1份） | 按检定项目收费 | 20/10 | 窗口
医疗器械经营备案 | Registering a medical-device business | 第二类医疗器械经营备案 | Register a business selling class II medical devices | 卖医疗器械、二类医疗器械备案 | 经营场所证明（复印件1份）；质量负责人资格证明（复印件1份） | 不收费 | 1/0 | 网办
药品零售企业经营许可 | Licence to open a pharmacy | 开办零售药店的药品经营许可 | Licence to open a retail pharmacy | 开药店、药店许可证 | 执业药师注册证（复印件1份）；经营场所证明（复印件1份） | 不收费 | 30/15 | 网办+窗口
营业执照办理（企业和个体工商户登记、变更） | Business licence | 营业执照 | Business licence | 执照 |  | 不收费 | 3/1 | 网办+窗口

## 国家税务总局江州市税务局 | Jiangzhou Taxation Bureau | SW | 江州市民中心E区税务窗口E11-E24号 | 0576-12366 | 15/1 | 经办人身份证件（原件1份） | 《中华人民共和国税收征收管理法》
发票领用 | Getting invoices (fapiao) | 纳税人首次领用和增量发票 | Get invoices (fapiao) for your business | 领发票、申领发票、开发票额度 | 发票领用申请（原件1份） | 不收费 | 5/0 | 网办+窗口
新办纳税人涉税事项套餐 | Tax registration for a new business | 新办企业的税务信息确认、税种认定、发票申领 | Tax set-up for a newly registered business | 税务登记、新公司报到 | 营业执照（复印件1份） | 不收费 | 1/0 | 网办
增值税申报 | VAT return | 增值税纳税申报 | File a VAT return | 报税、增值税报税 |  | 不收费 | 1/0 | 网办+窗口
车辆购置税申报 | Vehicle purchase tax | 购买车辆后申报缴纳车辆购置税 | Pay the purchase tax on a new vehicle | 买车交税、购置税 | 机动车销售统一发票（原件1份）；车辆合格证（原件1份） | 不收费 | 1/0 | 网办+窗口
房产交易契税申报 | Deed tax on buying a home | 购买房屋申报缴纳契税 | Pay deed tax when you buy a home | 契税、买房交税 | 房屋买卖合同（复印件1份） | 不收费 | 1/0 | 网办+窗口
完税证明开具 | Tax payment certificate | 开具个人或单位纳税证明 | Certificate of taxes you have paid | 纳税证明、完税证明、个税证明 |  | 不收费 | 1/0 | 网办+窗口
个体工商户定期定额核定 | Fixed tax for small sole traders | 小规模个体户定期定额征收核定 | Fixed monthly tax assessment for small sole traders | 定额税、个体户定税 | 经营情况说明（原件1份） | 不收费 | 20/10 | 窗口
清税证明（税务注销） | Tax deregistration | 纳税人注销前的清税申报 | Close your tax account before closing a business | 税务注销、清税 | 清税申报表（原件1份） | 不收费 | 20/1 | 网办+窗口
出口退税备案 | Export tax rebate registration | 出口企业退（免）税备案 | Register for export VAT rebates | 出口退税 | 对外贸易经营者备案表（复印件1份） | 不收费 | 5/1 | 网办
个人所得税年度汇算 | Individual income tax | 个税汇算 | Individual income tax | 个税 |  | 不收费 | 1/0 | 网办
残疾人、孤老个人所得税减征 | Income tax reduction for disabled or elderly people | 残疾、孤老人员和烈属的个人所得税减征 | Income tax reduction for disabled people, lonely elders and martyrs' families | 残疾人减税、个税减免 | 残疾人证或相关证明（复印件1份） | 不收费 | 10/3 | 窗口

## 江州市卫生健康委员会 | Jiangzhou Health Commission | WJ | 江州市民中心C区卫健窗口C10-C14号 | 0576-88160000 | 20/10 | 申请人身份证明（原件1份） | 《中华人民共和国基本医疗卫生与健康促进法》
医师执业注册 | Registering a doctor's practice | 医师首次执业注册、变更执业地点 | Register as a practising doctor or change where you practise | 医生注册、医师变更注册 | 医师资格证书（原件1份）；体检证明（原件1份） | 不收费 | 20/5 | 网办 | 首次注册/变更注册
护士执业注册 | Registering as a nurse | 护士首次执业注册和延续 | Register as a practising nurse or renew | 护士注册、护士证延续 | 护士执业资格考试成绩合格证明（复印件1份）；体检证明（原件1份） | 不收费 | 20/5 | 网办
医疗机构执业许可 | Licence for a clinic or hospital | 设置诊所、医院的执业登记 | Licence to open a clinic or hospital | 开诊所、开医院 | 医疗机构设置批准书（复印件1份）；房屋产权证明（复印件1份） | 不收费 | 45/20 | 网办+窗口
公共场所卫生许可证 | Hygiene licence for public venues | 宾馆、理发店、游泳馆等公共场所卫生许可 | Hygiene licence for hotels, hair salons, pools and similar venues | 卫生许可证、理发店卫生证 | 卫生检测报告（原件1份）；从业人员健康证明（复印件1份） | 不收费 | 20/5 | 网办+窗口
计划生育家庭特别扶助金 | Support for families who lost their only child | 独生子女伤残、死亡家庭特别扶助 | Monthly support for parents whose only child died or is disabled | 失独家庭补助、特扶金 | 独生子女证（原件1份）；子女死亡或伤残证明（复印件1份） | 不收费 | 30/20 | 窗口
独生子女父母奖励 | Reward for parents of an only child | 独生子女父母退休时一次性奖励 | One-off reward for parents of an only child when they retire | 独生子女奖励、独生子女费 | 独生子女父母光荣证（原件1份） | 不收费 | 30/20 | 窗口
从业人员健康证明 | Health certificate for food and service workers | 食品、公共场所从业人员健康体检并发证 | Health certificate for people working with food or in public venues | 健康证、办健康证 | 近期免冠照片（1张） | 体检费按物价标准 | 7/3 | 窗口
预防接种证补办 | Replacing a vaccination record | 儿童预防接种证遗失后补办 | Replace a child's lost vaccination booklet | 疫苗本丢了、接种证补办 | 儿童出生医学证明（复印件1份） | 不收费 | 5/1 | 窗口
放射诊疗许可 | Licence for radiology services | 医疗机构开展放射诊疗的许可 | Licence for a clinic to use X-ray or other radiology | X光许可、放射科审批 | 放射防护评价报告（原件1份） | 不收费 | 20/10 | 网办

## 江州市教育局 | Jiangzhou Education Bureau | JY | 江州市民中心C区教育窗口C15-C18号 | 0576-88170000 | 20/10 | 监护人居民身份证（原件1份）；居民户口簿（原件1份） | 《中华人民共和国义务教育法》
小学一年级入学报名 | Primary school enrolment | 适龄儿童义务教育小学入学报名 | Enrol your child in the first year of primary school | 小学报名、孩子上小学、一年级报名 | 房屋产权证明或租赁备案（复印件1份）；预防接种证查验证明（原件1份） | 不收费 | 30/30 | 网办
随迁子女义务教育入学 | School places for migrant workers' children | 非本市户籍务工人员子女入学申请 | School places for children of workers from other cities | 外地孩子上学、随迁子女入学、流动儿童上学 | 居住证（原件1份）；劳动合同或营业执照（复印件1份） | 不收费 | 30/30 | 网办
中小学转学 | Changing schools | 义务教育阶段学生转学 | Move your child to another primary or middle school | 转学、孩子转校 | 转学申请表（原件1份）；学籍信息卡（复印件1份） | 不收费 | 15/7 | 网办+窗口
幼儿园入园报名 | Kindergarten enrolment | 公办幼儿园小班入园报名 | Enrol your child in a public kindergarten | 上幼儿园、幼儿园报名 | 儿童出生医学证明（复印件1份） | 按保教费标准 | 30/30 | 网办
教师资格认定 | Teacher's qualification certificate | 申请认定中小学、幼儿园教师资格 | Get your teacher's qualification certificate | 教师资格证认定、教资认定 | 教师资格考试合格证明（复印件1份）；体检表（原件1份）；普通话证书（复印件1份） | 不收费 | 60/30 | 网办+窗口
家庭经济困难学生资助 | Financial aid for students from poor families | 学前至高中家庭经济困难学生资助 | Grants for pupils from low-income families | 助学金、贫困生补助 | 家庭经济困难认定表（原件1份） | 不收费 | 30/20 | 窗口
中考报名 | Registering for the senior high school entrance exam | 初中毕业生参加中考报名 | Register for the zhongkao (senior high school entrance exam) | 中考、初三报名 | 学籍证明（原件1份） | 按考试收费标准 | 10/10 | 网办
民办学校设立审批 | Opening a private school | 举办民办中小学、幼儿园的审批 | Approval to open a private school or kindergarten | 办私立学校、开民办幼儿园 | 办学章程（原件1份）；校舍证明（复印件1份） | 不收费 | 90/60 | 窗口
校外培训机构审批 | Licence for an after-school tutoring centre | 非学科类校外培训机构设立审批 | Licence for an after-school training centre (arts, sports) | 开培训班、开兴趣班 | 培训场所证明（复印件1份）；师资名单（原件1份） | 不收费 | 30/20 | 网办+窗口
高中毕业证明书补办 | Certificate replacing a lost senior high school diploma | 高中毕业证书遗失后出具毕业证明书 | Certificate in place of a lost senior high school diploma | 高中毕业证丢了、补毕业证 | 遗失声明（原件1份）；毕业学校证明（原件1份） | 不收费 | 10/5 | 窗口

## 江州市交通运输局 | Jiangzhou Transport Bureau | JT | 江州市民中心D区交通窗口D21-D26号 | 0576-88180000 | 20/5 | 申请人身份证明（原件1份） | 《中华人民共和国道路运输条例》
道路货物运输经营许可 | Road freight transport licence | 从事道路普通货物运输经营许可 | Licence to run a road freight business | 货运许可证、跑货运、道路运输证 | 车辆行驶证（复印件1份）；驾驶员从业资格证（复印件1份） | 不收费 | 20/5 | 网办+窗口
巡游出租汽车驾驶员从业资格证 | Taxi driver's permit | 出租汽车驾驶员从业资格考试和发证 | Permit to drive a taxi | 开出租车、出租车资格证 | 驾驶证（复印件1份）；无犯罪记录证明（原件1份） | 考试费按标准收取 | 20/10 | 窗口
网络预约出租汽车运输证 | Ride-hailing vehicle permit | 网约车车辆道路运输证 | Permit for a car used for ride-hailing | 网约车证、开滴滴办证 | 车辆行驶证（复印件1份）；车辆保险单（复印件1份） | 不收费 | 20/5 | 网办+窗口
网络预约出租汽车驾驶员证 | Ride-hailing driver's permit | 网约车驾驶员从业资格 | Permit to drive for a ride-hailing platform | 网约车司机证、网约车驾驶员资格 | 驾驶证（复印件1份）；无犯罪记录证明（原件1份） | 不收费 | 20/10 | 网办+窗口
超限运输车辆行驶公路许可 | Permit for oversize or overweight transport | 大件运输车辆超限行驶公路的许可 | Permit to move an oversize or overweight load on public roads | 大件运输、超限许可 | 车货总体轮廓图（原件1份）；护送方案（原件1份） | 不收费 | 15/3 | 网办
机动车维修经营备案 | Registering a car repair shop | 开办汽车维修店的备案 | Register a car repair business | 开修车店、汽修厂备案 | 维修场地证明（复印件1份）；技术人员证书（复印件1份） | 不收费 | 5/1 | 网办+窗口
机动车驾驶员培训备案 | Registering a driving school | 驾校经营备案 | Register a driving school | 开驾校 | 教练车行驶证（复印件1份）；教练员名单（原件1份） | 不收费 | 5/1 | 网办+窗口
公路占用挖掘许可 | Permit to dig up or occupy a public road | 因施工需要占用、挖掘公路的许可 | Permit to dig up or occupy a highway for works | 挖马路、占用公路 | 施工方案（原件1份）；交通组织方案（原件1份） | 按赔补偿标准 | 20/10 | 窗口
道路旅客运输驾驶员从业资格 | Passenger transport driver's qualification | 客运车辆驾驶员从业资格考试 | Qualification to drive buses and coaches | 客运资格证、大巴司机证 | 驾驶证（复印件1份）；体检证明（原件1份） | 按考试收费标准 | 20/10 | 窗口
交通运输行政执法投诉 | Complaint about taxis, buses or road transport | 出租车拒载、公交服务等投诉 | Complain about a taxi, bus or other road transport | 投诉出租车、出租车拒载、公交司机态度差 | 投诉内容说明（原件1份） | 不收费 | 15/7 | 网办+窗口

## 江州市自然资源和规划局 | Jiangzhou Natural Resources and Planning Bureau | ZR | 江州市民中心D区规划窗口D27-D32号 | 0576-88190000 | 20/10 | 申请单位证明（复印件1份） | 《中华人民共和国城乡规划法》
建设用地规划许可证核发 | Land-use planning permit | 建设项目用地的规划许可 | Planning permit for land to be built on | 用地规划许可 | 用地申请书（原件1份）；勘测定界图（原件1份） | 不收费 | 20/7 | 网办
建设工程规划许可证核发 | Building planning permit | 建设工程方案的规划许可 | Planning permit for a building design | 工程规划许可、规划许可证 | 建设工程设计方案（原件1份） | 不收费 | 20/10 | 网办
乡村建设规划许可 | Rural building planning permit | 乡村建房、乡镇企业建设的规划许可 | Planning permit for building in the countryside | 农村建房审批、乡村规划许可 | 宅基地批准文件（复印件1份）；建房设计图（原件1份） | 不收费 | 20/10 | 窗口
建设工程规划条件核实 | Planning completion check | 建设工程竣工后的规划核实 | Check that a finished building matches its planning permit | 规划验收、竣工规划核实 | 竣工测量报告（原件1份） | 不收费 | 20/7 | 网办
临时用地审批 | Temporary land use approval | 工程施工临时使用土地的审批 | Approval to use land temporarily for works | 临时用地、临时占地 | 临时用地合同（原件1份）；土地复垦方案（原件1份） | 不收费 | 20/10 | 网办
采矿许可证审批 | Mining licence | 开采矿产资源的采矿许可 | Licence to extract minerals | 采矿证、开矿 | 矿产资源开发利用方案（原件1份） | 不收费 | 40/20 | 窗口
测绘资质审批 | Surveying and mapping qualification | 测绘单位资质申请 | Qualification certificate for a surveying company | 测绘资质 | 测绘人员证书（复印件1份）；仪器设备清单（原件1份） | 不收费 | 20/10 | 网办
林木采伐许可证核发 | Tree felling licence (forest) | 采伐林木的许可 | Licence to fell trees in forests or on farmland | 砍树审批、林木采伐证、砍伐自家山上的树 | 林权证明（复印件1份）；采伐作业设计（原件1份） | 不收费 | 20/5 | 网办+窗口
野生动物人工繁育许可 | Licence to breed wild animals | 人工繁育国家重点保护陆生野生动物的许可 | Licence to breed protected wild animals | 养野生动物、人工养殖野生动物 | 繁育场所证明（复印件1份）；技术人员说明（原件1份） | 不收费 | 20/15 | 窗口

## 江州市生态环境局 | Jiangzhou Ecology and Environment Bureau | ST | 江州市民中心D区环保窗口D33-D36号 | 0576-12369 | 30/15 | 建设单位证明（复印件1份） | 《中华人民共和国环境影响评价法》
建设项目环境影响评价审批 | Environmental impact assessment approval | 建设项目环评报告书、报告表审批 | Approval of a project's environmental impact assessment | 环评、环评审批 | 环境影响报告书或报告表（原件1份） | 不收费 | 60/15 | 网办
排污许可证核发 | Pollutant discharge permit | 排污单位申领排污许可证 | Permit to discharge pollutants | 排污证、排污许可 | 排污许可证申请表（原件1份）；自行监测方案（原件1份） | 不收费 | 20/10 | 网办
危险废物经营许可 | Hazardous waste business licence | 收集、贮存、处置危险废物的经营许可 | Licence to collect, store or treat hazardous waste | 危废经营、危险废物处置许可 | 危险废物处置设施证明（复印件1份） | 不收费 | 20/15 | 网办+窗口
辐射安全许可证核发 | Radiation safety licence | 使用放射源、射线装置的辐射安全许可 | Radiation safety licence for radioactive sources and X-ray equipment | 辐射许可证、射线装置许可 | 辐射防护人员培训证明（复印件1份） | 不收费 | 20/10 | 网办
环境污染投诉 | Complaint about pollution | 废气、废水、噪声等环境污染投诉 | Complain about smoke, dirty water, noise or other pollution | 工厂排污举报、污染举报、厂里冒黑烟 | 投诉说明（原件1份） | 不收费 | 15/7 | 网办+窗口
建设项目环境影响登记表备案 | Environmental registration form for small projects | 环境影响很小的项目登记备案 | Register a small project's environmental impact form | 环评登记表、环评备案 | 登记表（原件1份） | 不收费 | 1/0 | 网办
固体废物跨省转移审批 | Moving solid waste to another province | 固体废物跨省转移贮存、处置审批 | Approval to move solid waste to another province | 固废转移、跨省转移废物 | 转移计划（原件1份）；接收单位协议（复印件1份） | 不收费 | 20/10 | 网办

## 江州市农业农村局 | Jiangzhou Agriculture and Rural Affairs Bureau | NY | 江州市民中心F区农业窗口F1-F6号 | 0576-88200000 | 20/10 | 申请人身份证明（原件1份） | 《中华人民共和国农业法》
农村宅基地建房审批 | Building a house on rural homestead land | 农村村民申请宅基地建住宅 | Approval for villagers to build a home on homestead land | 宅基地、农村盖房子、自建房审批 | 宅基地申请书（原件1份）；村民会议意见（原件1份） | 不收费 | 20/15 | 窗口
农药经营许可证 | Pesticide sales licence | 经营农药的许可 | Licence to sell pesticides | 卖农药、农药店许可证 | 经营场所证明（复印件1份）；农药专业人员证明（复印件1份） | 不收费 | 20/10 | 网办+窗口
兽药经营许可证 | Veterinary drug sales licence | 经营兽药的许可 | Licence to sell veterinary medicines | 卖兽药、兽药店 | 兽医专业人员证明（复印件1份）；经营场所证明（复印件1份） | 不收费 | 30/15 | 网办+窗口
动物防疫条件合格证 | Animal epidemic prevention certificate | 养殖场、屠宰场等动物防疫条件审查 | Animal disease-control certificate for farms and slaughterhouses | 养殖场防疫证、养猪场审批 | 场所平面图（原件1份）；防疫制度（原件1份） | 不收费 | 20/10 | 窗口
种子生产经营许可证 | Seed production and sales licence | 农作物种子生产经营许可 | Licence to produce or sell crop seeds | 卖种子、种子许可证 | 种子检验设备清单（原件1份） | 不收费 | 20/10 | 网办
渔业捕捞许可证 | Fishing licence | 内陆水域渔业捕捞许可 | Licence for commercial fishing in inland waters | 捕鱼证、打鱼许可 | 渔船检验证书（复印件1份） | 不收费 | 20/10 | 窗口
拖拉机和联合收割机登记 | Registering a tractor or combine harvester | 拖拉机、联合收割机注册登记 | Register a tractor or combine harvester | 拖拉机上牌、收割机登记 | 购机发票（原件1份）；产品合格证（原件1份） | 号牌及行驶证工本费 | 2/1 | 窗口
农机购置补贴申领 | Subsidy for buying farm machinery | 购买农业机械的补贴 | Subsidy for buying farm machinery | 农机补贴、买拖拉机补贴 | 购机发票（原件1份）；银行卡（复印件1份） | 不收费 | 30/20 | 网办+窗口
家庭农场名录登记 | Registering a family farm | 家庭农场纳入名录管理 | Register as a family farm | 家庭农场 | 土地流转合同（复印件1份） | 不收费 | 20/10 | 网办
耕地地力保护补贴 | Farmland protection subsidy | 种粮农民耕地地力保护补贴发放 | Annual subsidy for farmers who keep land in cultivation | 种地补贴、种粮补贴 | 土地承包经营权证（复印件1份）；银行账户（复印件1份） | 不收费 | 30/30 | 窗口

## 江州市文化广电旅游局 | Jiangzhou Culture, Radio, Television and Tourism Bureau | WL | 江州市民中心F区文旅窗口F7-F10号 | 0576-88210000 | 20/10 | 申请人身份证明（原件1份） | 《旅行社条例》
旅行社设立许可 | Licence to open a travel agency | 经营国内和入境旅游业务的旅行社设立许可 | Licence to open a travel agency | 开旅行社 | 经营场所证明（复印件1份）；质量保证金存款证明（原件1份） | 不收费 | 20/10 | 网办+窗口
导游证申领 | Tour guide licence | 导游资格考试合格后申领导游证 | Apply for your tour guide licence | 导游证、当导游 | 导游资格证（复印件1份）；与旅行社的劳动合同（复印件1份） | 不收费 | 10/5 | 网办
营业性演出许可 | Commercial performance permit | 举办营业性演出的许可 | Permit for a commercial show or concert | 演出审批、演唱会许可 | 演出节目内容材料（原件1份）；演员名单（原件1份） | 不收费 | 3/3 | 网办+窗口
互联网上网服务营业场所许可（网吧） | Internet café licence | 开办网吧的许可 | Licence to open an internet café | 开网吧、网咖许可 | 场所平面图（原件1份）；消防安全检查合格证明（复印件1份） | 不收费 | 20/10 | 窗口
娱乐场所经营许可（KTV） | Entertainment venue licence (KTV, dance halls) | 歌舞娱乐、游艺娱乐场所经营许可 | Licence for a karaoke bar, dance hall or game arcade | 开KTV、开歌厅、开游戏厅 | 场所平面图（原件1份）；消防安全检查合格证明（复印件1份） | 不收费 | 20/10 | 窗口
出版物零售经营许可 | Book and publication retail licence | 开办书店、报刊亭的出版物零售许可 | Licence to sell books and magazines | 开书店 | 经营场所证明（复印件1份） | 不收费 | 20/10 | 网办+窗口
A级旅游景区评定 | A-grade tourist attraction rating | 旅游景区质量等级评定申请 | Apply for an A-grade rating for a tourist attraction | 景区评级、4A景区申报 | 景区创建自评报告（原件1份） | 不收费 | 60/60 | 窗口
卫星电视地面接收设施安装许可 | Satellite TV dish permit | 单位安装卫星电视接收设施的许可 | Permit for an organisation to install a satellite TV dish | 装卫星锅、卫星电视审批 | 安装用途说明（原件1份） | 不收费 | 20/10 | 窗口
非国有文物收藏单位文物鉴定 | Cultural relics appraisal | 民间收藏文物的鉴定咨询 | Appraisal of privately held cultural relics | 古董鉴定、文物鉴定 | 文物照片（原件1份） | 不收费 | 30/20 | 窗口

## 江州市退役军人事务局 | Jiangzhou Veterans Affairs Bureau | TY | 江州市民中心C区退役军人窗口C19-C21号 | 0576-88220000 | 20/10 | 申请人居民身份证（原件1份） | 《中华人民共和国退役军人保障法》
退役军人优待证申领 | Veterans' preferential treatment card | 退役军人和其他优抚对象申领优待证 | Apply for the veterans' preferential treatment card | 优待证、退伍军人优待证 | 退役证明（复印件1份）；近期免冠照片（1张） | 不收费 | 30/20 | 网办+窗口
残疾军人证和伤残抚恤 | Disabled veteran's certificate and pension | 因战因公致残军人评定残疾等级和抚恤 | Disability grading and pension for veterans injured in service | 伤残军人、残疾军人抚恤 | 致残原始医疗证明（复印件1份）；退役证明（复印件1份） | 不收费 | 90/60 | 窗口
退役士兵自主就业一次性经济补助 | One-off grant for self-employed discharged soldiers | 自主就业退役士兵的地方一次性经济补助 | One-off local grant for soldiers who find their own job after discharge | 退伍费、退役补助、退伍安置费 | 退出现役登记表（原件1份） | 不收费 | 30/20 | 窗口
光荣牌悬挂 | Glory plaque for military families | 为军人家庭、退役军人家庭悬挂光荣牌 | A glory plaque for the home of a serviceman or veteran | 光荣之家、挂光荣牌 | 入伍或退役证明（复印件1份） | 不收费 | 30/30 | 窗口
烈士褒扬金和遗属抚恤 | Martyrs' family compensation | 烈士遗属领取褒扬金和定期抚恤金 | Compensation and pension for martyrs' families | 烈士家属、烈属抚恤 | 烈士证明书（原件1份）；亲属关系证明（原件1份） | 不收费 | 30/20 | 窗口
带病回乡退伍军人生活补助 | Living allowance for veterans discharged with illness | 带病回乡退伍军人定期生活补助 | Monthly allowance for veterans sent home with an illness | 带病回乡补助 | 退伍证（复印件1份）；医院诊断证明（原件1份） | 不收费 | 30/20 | 窗口
参战参试退役人员补助 | Allowance for veterans of combat or nuclear tests | 参战和参加核试验退役人员定期生活补助 | Monthly allowance for combat veterans and nuclear-test participants | 参战老兵补助、参试人员补助 | 参战或参试证明（复印件1份） | 不收费 | 30/20 | 窗口
退役军人创业贷款贴息 | Interest subsidy for veterans starting a business | 退役军人创业担保贷款贴息 | Interest subsidy on start-up loans for veterans | 老兵创业贷款、退伍军人创业 | 退役证（复印件1份）；营业执照（复印件1份） | 不收费 | 20/10 | 网办+窗口

## 江州市残疾人联合会 | Jiangzhou Disabled Persons' Federation | CL | 江州市民中心C区残联窗口C22-C24号 | 0576-88230000 | 20/10 | 残疾人证（原件1份） | 《中华人民共和国残疾人保障法》
残疾人证办理 | Disability certificate | 残疾人证 | Disability certificate | 残疾证 |  | 不收费 | 20/10 | 窗口
残疾人辅助器具适配 | Assistive devices for disabled people | 免费适配轮椅、助听器、假肢等辅助器具 | Free wheelchairs, hearing aids, artificial limbs and other aids | 领轮椅、配助听器、装假肢 | 辅具适配评估表（原件1份） | 不收费 | 20/10 | 窗口
残疾儿童康复救助 | Rehabilitation aid for disabled children | 0-17岁残疾儿童康复训练费用救助 | Help with rehabilitation costs for disabled children | 自闭症康复补助、脑瘫康复 | 儿童诊断证明（原件1份）；户口簿（复印件1份） | 不收费 | 20/10 | 网办+窗口
残疾人机动轮椅车燃油补贴 | Fuel subsidy for disabled drivers | 残疾人机动轮椅车燃油补贴 | Fuel subsidy for disabled people's motorised wheelchairs | 残疾车油补、三轮车燃油补贴 | 机动轮椅车行驶证（复印件1份） | 不收费 | 30/20 | 窗口
残疾人家庭无障碍改造 | Barrier-free home adaptation | 困难残疾人家庭无障碍设施改造 | Free adaptation of a disabled person's home (rails, ramps) | 家里装扶手、无障碍改造 | 房屋权属证明（复印件1份） | 不收费 | 60/30 | 窗口
用人单位安排残疾人就业审核 | Employing disabled people (quota check) | 用人单位按比例安排残疾人就业审核 | Check that an employer meets the quota for employing disabled people | 残保金审核、按比例就业 | 残疾职工劳动合同（复印件1份）；社保缴费记录（原件1份） | 不收费 | 20/10 | 网办
重度残疾人托养服务补贴 | Day and residential care for severely disabled people | 重度残疾人日间照料、寄宿托养补贴 | Subsidy for day or residential care of severely disabled people | 残疾人托养、托养补贴 | 托养服务协议（复印件1份） | 不收费 | 30/20 | 窗口
盲人按摩机构认定 | Registering a blind massage centre | 盲人医疗按摩、保健按摩机构认定 | Registration of a massage centre run by blind masseurs | 盲人按摩店 | 按摩人员资格证（复印件1份）；场所证明（复印件1份） | 不收费 | 20/10 | 窗口

## 江州市住房公积金管理中心 | Jiangzhou Housing Provident Fund Centre | GJJ | 江州市民中心B区公积金窗口B20-B26号 | 0576-12329 | 15/3 | 居民身份证（原件1份） | 《住房公积金管理条例》
住房公积金提取 | Provident fund withdrawal | 提取公积金 | Provident fund withdrawal | 取公积金 |  | 不收费 | 3/0 | 网办+窗口
单位住房公积金缴存登记 | Employer provident fund registration | 单位开设住房公积金账户 | Register a company to pay into the housing provident fund | 单位开户、公司开公积金户 | 营业执照（复印件1份）；单位经办人授权书（原件1份） | 不收费 | 3/1 | 网办+窗口
个人自愿缴存住房公积金 | Voluntary provident fund for the self-employed | 灵活就业人员个人缴存住房公积金 | Voluntary housing provident fund for freelancers and the self-employed | 自己交公积金、自由职业交公积金 | 银行卡（复印件1份） | 不收费 | 3/0 | 网办+窗口
住房公积金缴存证明 | Provident fund contribution certificate | 开具个人住房公积金缴存证明 | Certificate of your provident fund contributions | 公积金证明、公积金缴存记录 |  | 不收费 | 1/0 | 网办+窗口
住房公积金异地转移接续 | Transferring your provident fund to another city | 公积金账户在城市之间转移 | Move your provident fund account to or from another city | 公积金转移、公积金转到外地 | 新单位缴存证明（原件1份） | 不收费 | 15/3 | 网办
住房公积金缴存基数调整 | Changing provident fund contribution base | 单位年度调整公积金缴存基数和比例 | Annual change of the contribution base and rate | 公积金基数调整 | 缴存基数调整表（原件1份） | 不收费 | 5/1 | 网办

## 江州市水务集团 | Jiangzhou Water Group | SWJ | 江州市民中心F区水电气窗口F11-F12号 | 0576-96390 | 15/5 | 用户身份证明（原件1份） | 《城市供水条例》
居民用水报装 | New water connection | 新建住宅或自建房安装自来水表 | Get a new water meter and connection | 装水表、开通自来水、新房通水 | 房屋权属证明（复印件1份） | 按工程预算收费 | 15/5 | 网办+窗口
用水户名变更（水表过户） | Changing the name on a water account | 房屋买卖后水费户名变更 | Put the water account in the new owner's name | 水表过户、水费改名 | 房屋权属证明（复印件1份） | 不收费 | 3/0 | 网办+窗口
低保家庭水费减免 | Water bill reduction for low-income families | 低保、特困家庭每月减免部分水费 | Water bill reduction for families on minimum living allowance | 低保水费优惠、减免水费 | 低保证（复印件1份） | 不收费 | 10/5 | 窗口
水表故障报修 | Reporting a faulty water meter | 水表停走、漏水、计量异常报修 | Report a broken, leaking or wrongly reading water meter | 水表坏了、水表不走、水管漏水 |  | 不收费 | 3/1 | 网办+窗口

## 江州市水利局 | Jiangzhou Water Resources Bureau | SL | 江州市民中心D区水利窗口D37-D38号 | 0576-88240000 | 20/10 | 申请单位证明（复印件1份） | 《中华人民共和国水法》
取水许可 | Water abstraction permit | 从河流、湖泊或地下取水的许可 | Permit to take water from rivers, lakes or wells | 打井审批、取水证 | 取水许可申请书（原件1份）；水资源论证报告（原件1份） | 不收费 | 45/20 | 网办
城镇污水排入排水管网许可 | Permit to discharge wastewater into sewers | 排水户向城镇排水管网排放污水的许可 | Permit to discharge wastewater into the city sewer | 排水许可证、污水接管 | 排水管网图（原件1份）；水质检测报告（原件1份） | 不收费 | 20/10 | 网办+窗口
生产建设项目水土保持方案审批 | Soil and water conservation plan approval | 建设项目水土保持方案审批 | Approval of a project's soil and water conservation plan | 水保方案、水土保持审批 | 水土保持方案报告书（原件1份） | 不收费 | 20/10 | 网办
河道管理范围内建设项目审批 | Building works in a river area | 在河道管理范围内建设桥梁、码头等的审批 | Approval for bridges, docks or other works by a river | 河道施工审批、涉河建设 | 防洪评价报告（原件1份） | 不收费 | 20/10 | 网办

## 江州市城市管理局 | Jiangzhou Urban Management Bureau | CG | 江州市民中心F区城管窗口F13-F16号 | 0576-12319 | 20/5 | 申请人身份证明（原件1份） | 《城市市容和环境卫生管理条例》
户外广告设施设置许可 | Outdoor advertising permit | 设置户外广告牌、LED屏的许可 | Permit for an outdoor billboard or LED screen | 户外广告审批、广告牌审批 | 广告设计效果图（原件1份）；场地使用证明（复印件1份） | 不收费 | 20/5 | 网办+窗口
店招店牌设置备案 | Registering a shop sign | 沿街商铺店招店牌设置备案 | Register a shop front sign | 店招、门头招牌、店面招牌 | 店招效果图（原件1份） | 不收费 | 5/1 | 网办
临时占用城市道路许可 | Temporary use of a street or pavement | 因施工、堆物、摆摊临时占用城市道路 | Permit to use a street or pavement for a while (works, materials, stalls) | 占道经营、占道施工、门口摆摊 | 占用道路平面图（原件1份） | 按占道费标准 | 20/5 | 网办+窗口
城市建筑垃圾处置核准 | Construction waste disposal permit | 建筑垃圾、装修垃圾运输处置核准 | Permit to transport and dispose of construction or renovation waste | 渣土运输、装修垃圾清运 | 运输车辆行驶证（复印件1份）；处置场所证明（复印件1份） | 不收费 | 20/5 | 网办+窗口
燃气经营许可 | Gas supply business licence | 城镇燃气经营企业许可 | Licence to supply piped gas or bottled gas | 燃气公司许可、液化气站许可 | 燃气设施验收证明（复印件1份）；安全管理人员证书（复印件1份） | 不收费 | 20/10 | 网办+窗口
城市绿地占用和树木迁移许可 | Permit to use green space or move a tree | 临时占用城市绿地、砍伐迁移城市树木 | Permit to use city green space or move or cut down a city tree | 砍小区的树、移树、占用绿地 | 树木现状照片（原件1份）；施工方案（原件1份） | 按绿化补偿标准 | 20/10 | 窗口
城市道路挖掘许可 | Permit to dig up a city street | 因管线施工挖掘城市道路 | Permit to dig up a city street for pipes or cables | 挖路审批、开挖道路 | 施工方案（原件1份）；管线图（原件1份） | 按修复费标准 | 20/5 | 网办+窗口
违章搭建投诉 | Reporting an illegal structure | 违法建设、私搭乱建举报 | Report an illegal building or extension | 违建举报、私搭乱建、楼顶加盖 | 现场照片（原件1份） | 不收费 | 15/7 | 网办+窗口

## 国网江州供电公司 | State Grid Jiangzhou Power Supply Company | GD | 江州市民中心F区水电气窗口F17-F18号 | 95598 | 15/3 | 用电人身份证明（原件1份） | 《电力供应与使用条例》
居民用电新装 | New electricity connection for a home | 新房、自建房申请安装电表 | Get a new electricity meter for a home | 装电表、新房通电、开户用电 | 房屋权属证明（复印件1份） | 不收费 | 15/3 | 网办+窗口
用电户名变更（电表过户） | Changing the name on an electricity account | 房屋买卖后电费户名变更 | Put the electricity account in the new owner's name | 电表过户、电费改名 | 房屋权属证明（复印件1份） | 不收费 | 3/0 | 网办+窗口
居民峰谷分时电价申请 | Time-of-use electricity tariff | 居民申请峰谷分时电价 | Switch to cheaper night-time electricity prices | 峰谷电、谷电 |  | 不收费 | 3/1 | 网办
充电桩报装 | Home charging point for an electric car | 个人充电桩用电报装 | Electricity connection for a home electric-car charger | 装充电桩、新能源车充电桩 | 车位产权或使用证明（复印件1份）；物业同意书（原件1份） | 不收费 | 15/5 | 网办

## 江州燃气有限公司 | Jiangzhou Gas Company | RQ | 江州市民中心F区水电气窗口F19-F20号 | 0576-96777 | 15/5 | 用户身份证明（原件1份） | 《城镇燃气管理条例》
管道燃气开户通气 | Gas connection for a home | 新房管道燃气开户、点火通气 | Open a piped-gas account and turn on the gas | 开通天然气、燃气开户、煤气开通 | 房屋权属证明（复印件1份） | 按燃气工程收费标准 | 15/3 | 网办+窗口
燃气户名变更（燃气过户） | Changing the name on a gas account | 房屋买卖后燃气户名变更 | Put the gas account in the new owner's name | 燃气过户、天然气改名 | 房屋权属证明（复印件1份） | 不收费 | 3/0 | 网办+窗口

## 江州市司法局 | Jiangzhou Justice Bureau | SF | 江州市民中心C区司法窗口C25-C28号 | 0576-12348 | 20/7 | 申请人居民身份证（原件1份） | 《中华人民共和国法律援助法》
法律援助申请 | Legal aid | 经济困难公民申请免费法律援助 | Free lawyer for people who cannot afford one | 免费律师、法律援助、请不起律师 | 经济困难状况说明（原件1份）；案件相关材料（复印件1份） | 不收费 | 7/3 | 网办+窗口
律师执业许可 | Lawyer's practising licence | 律师申请执业证书 | Apply for a lawyer's practising licence | 律师证、律师执业证 | 法律职业资格证书（复印件1份）；实习考核合格证明（原件1份） | 不收费 | 30/20 | 网办
人民调解申请 | Free mediation of a dispute | 邻里、家庭、物业纠纷的人民调解 | Free mediation of disputes with neighbours, family or landlords | 调解纠纷、邻居吵架、找人调解 | 纠纷情况说明（原件1份） | 不收费 | 30/15 | 网办+窗口
司法鉴定机构登记 | Registering a forensic appraisal institution | 司法鉴定机构设立登记 | Register a forensic appraisal institution | 司法鉴定所 | 鉴定人资格证明（复印件1份）；仪器设备清单（原件1份） | 不收费 | 20/15 | 网办
法律职业资格证书申领 | Legal professional qualification certificate | 通过法考后申领法律职业资格证书 | Certificate after passing the national legal exam | 法考证书、法律职业资格证 | 法考成绩单（原件1份）；近期免冠照片（1张） | 不收费 | 20/15 | 网办

## 江州市公证处 | Jiangzhou Notary Office | GZ | 江州市民中心C区公证窗口C29-C32号 | 0576-88250000 | 15/5 | 申请人居民身份证（原件1份） | 《中华人民共和国公证法》
学历学位公证 | Notarising a diploma or degree | 毕业证、学位证公证（出国留学、工作） | Notarised diploma or degree for study or work abroad | 毕业证公证、学位证公证 | 毕业证书（原件1份）；学位证书（原件1份） | 每件200元 | 15/5 | 窗口
出生公证 | Birth notarial certificate | 出生地、出生日期和父母的公证 | Notarial certificate of birth for use abroad | 出生证明公证 | 出生医学证明（原件1份） | 每件200元 | 15/5 | 窗口
遗嘱公证 | Notarising a will | 立遗嘱人办理遗嘱公证 | Have your will notarised | 立遗嘱、遗嘱公证 | 财产权属证明（原件1份） | 每件500元 | 15/5 | 窗口
委托书公证 | Notarising a power of attorney | 委托他人办理事务的委托书公证 | Notarised power of attorney | 委托公证、授权书公证 | 委托事项相关材料（复印件1份） | 每件200元 | 15/3 | 窗口
亲属关系公证 | Notarising a family relationship | 亲属关系公证（出国探亲、继承） | Notarised proof of family relationship | 亲属关系证明、亲属公证 | 户口簿或档案材料（原件1份） | 每件200元 | 15/5 | 窗口
无犯罪记录公证 | Notarising a no-criminal-record certificate | 无犯罪记录证明的公证（出国使用） | Notarised no-criminal-record certificate for use abroad | 良民证公证 | 无犯罪记录证明（原件1份） | 每件200元 | 15/5 | 窗口

## 江州市应急管理局 | Jiangzhou Emergency Management Bureau | YJ | 江州市民中心D区应急窗口D39-D40号 | 0576-12350 | 20/10 | 申请单位证明（复印件1份） | 《中华人民共和国安全生产法》
危险化学品经营许可证 | Hazardous chemicals business licence | 经营危险化学品的许可 | Licence to trade in hazardous chemicals | 危化品经营许可、卖化工原料 | 安全评价报告（原件1份）；安全管理制度（原件1份） | 不收费 | 30/15 | 网办+窗口
烟花爆竹零售经营许可 | Fireworks retail licence | 开设烟花爆竹零售点的许可 | Licence to sell fireworks | 卖鞭炮、烟花零售、鞭炮店 | 零售场所证明（复印件1份）；安全培训合格证明（复印件1份） | 不收费 | 20/10 | 网办+窗口
特种作业操作证（电工、焊工） | Special operation certificate (electrician, welder) | 电工、焊工、高处作业等特种作业人员考试发证 | Certificate for electricians, welders and work at height | 电工证、焊工证、登高证 | 学历证明（复印件1份）；体检证明（原件1份） | 考试费按标准收取 | 20/10 | 网办+窗口
生产经营单位主要负责人安全考核 | Safety exam for company managers | 危险行业主要负责人和安全管理人员考核 | Safety qualification exam for managers in high-risk industries | 安全员证、安全管理人员证 | 任职文件（复印件1份） | 不收费 | 20/10 | 网办
非药品类易制毒化学品备案 | Registering precursor chemicals | 第二、三类非药品类易制毒化学品生产经营备案 | Register the production or sale of precursor chemicals | 易制毒备案 | 品种产量经营量说明（原件1份） | 不收费 | 5/3 | 网办
安全生产事故隐患举报 | Reporting a workplace safety hazard | 安全生产事故隐患、非法违法生产举报 | Report a dangerous workplace or illegal production | 举报安全隐患、工厂不安全 | 举报线索（原件1份） | 不收费 | 15/7 | 网办+窗口

## 江州市商务局 | Jiangzhou Commerce Bureau | SWU | 江州市民中心E区商务窗口E25-E28号 | 0576-88260000 | 20/5 | 申请单位营业执照（复印件1份） | 《中华人民共和国对外贸易法》
对外贸易经营者备案 | Foreign trade operator registration | 从事货物进出口的经营者备案 | Register to import and export goods | 外贸备案、进出口权 | 对外贸易经营者备案登记表（原件1份） | 不收费 | 5/1 | 网办
单用途商业预付卡备案 | Registering prepaid store cards | 发行单用途预付卡的企业备案 | Register a business that sells prepaid store cards | 预付卡备案、会员卡备案 | 预付卡章程（原件1份） | 不收费 | 20/5 | 网办
成品油零售经营许可 | Fuel station licence | 开设加油站的成品油零售经营许可 | Licence to run a petrol station | 开加油站 | 加油站规划确认文件（复印件1份）；安全评价报告（原件1份） | 不收费 | 20/15 | 窗口
报废机动车回收拆解企业资质认定 | Licence to recycle scrapped vehicles | 报废机动车回收拆解企业资质 | Licence to collect and dismantle scrapped vehicles | 报废车回收资质、拆车厂 | 拆解场地证明（复印件1份）；环评批复（复印件1份） | 不收费 | 20/15 | 窗口
再生资源回收经营者备案 | Registering a recycling business | 废品回收站备案 | Register a scrap and recycling business | 废品回收站、收废品备案 | 经营场所证明（复印件1份） | 不收费 | 5/1 | 网办
拍卖企业设立许可 | Licence to open an auction house | 设立拍卖企业的许可 | Licence to open an auction house | 开拍卖行 | 拍卖师资格证（复印件1份）；公司章程（复印件1份） | 不收费 | 20/15 | 网办

## 江州市气象局 | Jiangzhou Meteorological Bureau | QX | 江州市民中心D区气象窗口D41号 | 0576-12121 | 20/10 | 申请单位证明（复印件1份） | 《中华人民共和国气象法》
防雷装置设计审核 | Lightning protection design review | 建设工程防雷装置设计审核 | Review of a building's lightning protection design | 防雷设计审核、避雷针审批 | 防雷装置设计图纸（原件1份） | 不收费 | 20/5 | 网办
防雷装置竣工验收 | Lightning protection completion check | 防雷装置竣工验收 | Completion check of lightning protection | 防雷验收 | 防雷装置检测报告（原件1份） | 不收费 | 10/5 | 网办
升放无人驾驶自由气球许可 | Permit to release balloons | 升放氢气球、系留气球的许可 | Permit to fly tethered or free balloons (advertising, events) | 放气球审批、氢气球许可 | 升放方案（原件1份）；资质证明（复印件1份） | 不收费 | 5/3 | 网办+窗口
气象证明出具 | Weather certificate | 为保险理赔、诉讼等出具历史天气证明 | Certificate of past weather for insurance or court | 天气证明、下雨证明、台风证明 | 用途说明（原件1份） | 不收费 | 5/1 | 网办+窗口
雷电灾害调查鉴定 | Lightning damage investigation | 雷击事故原因调查鉴定 | Investigation of damage caused by lightning | 雷击鉴定、被雷劈了 | 灾害情况说明（原件1份） | 不收费 | 20/10 | 窗口

## 江州市人民防空办公室 | Jiangzhou Civil Air Defence Office | RF | 江州市民中心D区人防窗口D42号 | 0576-88270000 | 20/10 | 建设单位证明（复印件1份） | 《中华人民共和国人民防空法》
防空地下室易地建设审批 | Building air-raid shelters elsewhere (fee in lieu) | 不宜建设防空地下室的项目易地建设审批 | Approval to pay instead of building an air-raid basement | 人防易地建设费 | 建设工程规划许可证（复印件1份） | 按易地建设费标准 | 20/5 | 网办
人防工程竣工验收备案 | Air-raid shelter completion registration | 人民防空工程竣工验收备案 | Register the completion of an air-raid shelter | 人防验收 | 竣工验收报告（原件1份） | 不收费 | 15/5 | 网办
拆除人防工程审批 | Demolishing an air-raid shelter | 拆除人民防空工程的审批 | Approval to demolish an air-raid shelter | 拆防空洞 | 拆除方案（原件1份） | 不收费 | 20/10 | 窗口

## 江州市档案馆 | Jiangzhou Archives | DA | 江州市档案馆查档大厅（江州市文华路9号） | 0576-88280000 | 10/1 | 查档人居民身份证（原件1份） | 《中华人民共和国档案法》
民生档案查询 | Searching personal archives | 查询婚姻、知青、招工、学籍等民生档案 | Search archived personal records (jobs, schooling, rusticated youth) | 查档案、查老档案、查知青档案 | 查档申请表（原件1份） | 不收费 | 5/0 | 网办+窗口
档案寄存 | Depositing documents with the archives | 单位和个人将档案寄存档案馆 | Deposit your family or company papers with the archives | 档案寄存 | 寄存档案清单（原件1份） | 按寄存服务标准 | 20/10 | 窗口

## 江州市体育局 | Jiangzhou Sports Bureau | TI | 江州市民中心F区体育窗口F21号 | 0576-88290000 | 30/10 | 经营者证明（复印件1份） | 《全民健身条例》
高危险性体育项目经营许可（游泳场所） | Licence for high-risk sports (swimming pools) | 游泳、攀岩、滑雪等高危险性体育项目经营许可 | Licence to run a swimming pool, climbing wall or ski slope | 开游泳馆、游泳池许可、攀岩馆 | 救生员资格证（复印件1份）；场所平面图（原件1份） | 不收费 | 30/10 | 网办+窗口
社会体育指导员等级认定 | Certifying community sports instructors | 社会体育指导员技术等级认定 | Certification as a community sports instructor | 体育指导员、广场舞教练证 | 培训合格证明（复印件1份） | 不收费 | 30/20 | 网办
体育赛事活动备案 | Registering a sports event | 举办马拉松、球赛等体育赛事备案 | Register a marathon, tournament or other sports event | 办比赛、马拉松备案 | 赛事方案（原件1份）；安全预案（原件1份） | 不收费 | 10/5 | 网办

## 江州市消防救援支队 | Jiangzhou Fire and Rescue Detachment | XF | 江州市民中心D区消防窗口D43号 | 0576-96119 | 10/3 | 申请单位营业执照（复印件1份） | 《中华人民共和国消防法》
公众聚集场所投入使用营业前消防安全检查 | Fire safety inspection before opening a public venue | 商场、酒店、网吧等开业前消防安全检查 | Fire safety inspection before a shop, restaurant or venue opens | 消防检查、开业消防验收、消防安检 | 消防安全制度（原件1份）；场所平面图（原件1份） | 不收费 | 10/3 | 网办+窗口
消防安全隐患举报 | Reporting a fire hazard | 堵塞消防通道、电动车楼道充电等隐患举报 | Report a fire hazard (blocked exits, e-bikes charging in stairwells) | 消防通道被堵、楼道充电举报 | 现场照片（原件1份） | 不收费 | 7/3 | 网办+窗口

## 江州市烟草专卖局 | Jiangzhou Tobacco Monopoly Bureau | YC | 江州市民中心E区烟草窗口E29号 | 0576-12313 | 20/10 | 经营者身份证明（原件1份） | 《中华人民共和国烟草专卖法》
烟草专卖零售许可证新办 | Tobacco retail licence | 小卖部、超市卖烟的零售许可证 | Licence to sell cigarettes in a shop | 烟草证、卖烟许可证、烟证 | 营业执照（复印件1份）；经营场所证明（复印件1份） | 不收费 | 20/10 | 网办+窗口
烟草专卖零售许可证延续 | Renewing a tobacco retail licence | 烟草零售许可证到期延续 | Renew a tobacco retail licence before it expires | 烟证到期、烟草证续期 | 原烟草专卖零售许可证（原件1份） | 不收费 | 20/10 | 网办+窗口

## 江州市邮政管理局 | Jiangzhou Postal Administration | YZ | 江州市民中心E区邮政窗口E30号 | 0576-12305 | 20/10 | 申请单位营业执照（复印件1份） | 《快递暂行条例》
快递业务经营许可 | Courier business licence | 经营快递业务的许可 | Licence to run a courier or parcel delivery business | 快递许可证、开快递公司 | 快递服务场所证明（复印件1份）；安全保障制度（原件1份） | 不收费 | 45/20 | 网办
快递服务投诉 | Complaint about a courier | 快递丢件、损坏、延误投诉 | Complain about a lost, damaged or late parcel | 快递丢了、快递投诉、包裹损坏 | 快递单号（原件1份） | 不收费 | 30/7 | 网办
"""

#: More matters of the departments above (``## PREFIX``) and of a few more departments.
MORE = """
## RS
就业困难人员认定 | Recognition as a person with employment difficulties | 大龄、残疾、低保家庭等就业困难人员认定 | Recognition for people who find it hard to get work (older, disabled, low-income) | 就业困难认定、4050人员 | 就业创业证（原件1份） | 不收费 | 20/10 | 网办+窗口
灵活就业人员社会保险补贴 | Social insurance subsidy for people in flexible work | 就业困难人员灵活就业后的社保补贴 | Subsidy towards social insurance for people with employment difficulties in flexible work | 灵活就业社保补贴、社保补贴 | 灵活就业证明（原件1份）；社保缴费凭证（复印件1份） | 不收费 | 30/15 | 网办+窗口
人力资源服务许可 | Licence for an employment agency | 开办职业中介、人力资源服务机构的许可 | Licence to run an employment or recruitment agency | 开职业介绍所、开中介公司招工 | 营业执照（复印件1份）；专职工作人员名单（原件1份） | 不收费 | 20/5 | 网办
失业人员职业培训补贴 | Training subsidy for unemployed people | 失业人员参加职业培训的补贴 | Free or subsidised vocational training for unemployed people | 免费培训、失业培训 | 培训合格证书（复印件1份） | 不收费 | 20/10 | 网办+窗口

## MZ
地名命名更名 | Naming or renaming a place | 道路、小区、桥梁等地名命名和更名 | Official names for new roads, estates and bridges | 小区起名、路名审批 | 地名命名申请书（原件1份）；规划文件（复印件1份） | 不收费 | 30/20 | 网办
流浪乞讨人员救助 | Help for homeless people and beggars | 流浪乞讨人员临时食宿、返乡救助 | Shelter, food and a ticket home for homeless people | 流浪人员救助、救助站、没钱回家 | 身份线索（没有也可直接求助） | 不收费 | 1/0 | 窗口
居家养老服务补贴 | Home care subsidy for older people | 困难、失能老年人居家养老服务补贴 | Subsidy for home care of frail or low-income older people | 居家养老补贴、上门照顾老人 | 老年人能力评估表（原件1份） | 不收费 | 20/10 | 网办+窗口

## SJ
专利资助申请 | Patent funding | 授权发明专利的资助和奖励 | Funding for granted invention patents | 专利补贴、专利奖励 | 专利证书（复印件1份） | 不收费 | 60/30 | 网办
商标注册申请受理 | Trademark application | 江州商标受理窗口代收商标注册申请 | Apply to register a trademark at the Jiangzhou trademark window | 注册商标、商标申请 | 商标图样（原件1份）；营业执照（复印件1份） | 按国家收费标准 | 20/5 | 网办+窗口

## SW
车船税缴纳 | Vehicle and vessel tax | 机动车和船舶车船税申报缴纳 | Pay the annual vehicle and vessel tax | 车船税 | 行驶证（复印件1份） | 不收费 | 1/0 | 网办+窗口
个人出租房屋代开发票 | Invoices for renting out your home | 个人出租房屋申请代开增值税发票 | Get an invoice issued when you rent out a home | 房租开发票、租房发票 | 租赁合同（原件1份）；房屋权属证明（复印件1份） | 不收费 | 1/0 | 网办+窗口

## WJ
老年人免费健康体检 | Free health check for people over 65 | 65岁以上常住老年人每年一次免费体检 | Free yearly health check for residents aged 65 and over | 老人免费体检 |  | 不收费 | 1/0 | 窗口
医疗纠纷人民调解 | Mediation of a dispute with a hospital | 患者与医院医疗纠纷的免费调解 | Free mediation of a dispute with a hospital or doctor | 医闹调解、医疗事故纠纷、和医院有纠纷 | 病历资料（复印件1份）；纠纷情况说明（原件1份） | 不收费 | 30/15 | 窗口

## JT
内河船舶登记 | Registering a river vessel | 内河船舶所有权、国籍登记 | Register ownership of a boat on inland waters | 船舶登记、船只上户 | 船舶建造合同或买卖合同（原件1份）；船舶检验证书（复印件1份） | 不收费 | 7/3 | 窗口
学生公交优惠卡办理 | Student bus pass | 中小学生乘坐公交车的优惠卡办理 | Discount bus pass for school pupils | 学生公交卡、学生卡坐公交 | 学生证或在读证明（原件1份）；近期免冠照片（1张） | 工本费20元 | 10/3 | 网办+窗口

## JY
学籍证明开具 | Certificate of school enrolment | 开具在校学生学籍证明 | Certificate that your child is enrolled at a school | 学籍证明、在读证明 |  | 不收费 | 5/1 | 网办+窗口
普通话水平测试报名 | Mandarin proficiency test registration | 普通话水平测试报名和证书 | Register for the Putonghua proficiency test | 普通话考试、普通话证书 | 近期免冠照片（1张） | 按考试收费标准 | 20/20 | 网办

## ZR
地质灾害危险性评估备案 | Geological hazard assessment registration | 建设项目地质灾害危险性评估备案 | Register a project's geological hazard assessment | 地灾评估 | 地质灾害危险性评估报告（原件1份） | 不收费 | 10/5 | 网办

## NY
农村土地承包经营权流转备案 | Registering a farmland lease | 承包土地经营权流转合同备案 | Register a lease of contracted farmland | 土地流转、租地种田 | 土地流转合同（原件1份） | 不收费 | 10/5 | 窗口
动物检疫合格证明 | Animal quarantine certificate | 动物及动物产品出售、运输前检疫 | Quarantine certificate before selling or transporting animals | 生猪检疫、卖猪检疫、动物检疫证 | 检疫申报单（原件1份） | 不收费 | 1/1 | 网办+窗口

## WL
文艺表演团体设立 | Registering a performing arts troupe | 设立文艺表演团体的许可 | Licence for a performing arts troupe | 成立剧团、演出团队 | 演员名单（原件1份）；团体章程（原件1份） | 不收费 | 20/10 | 网办

## ZJ
房地产开发企业资质核定 | Real-estate developer qualification | 房地产开发企业资质核定 | Qualification certificate for a property developer | 开发资质、房地产资质 | 企业资质申请表（原件1份）；专业技术人员证书（复印件1份） | 不收费 | 20/10 | 网办

## CG
大件垃圾上门清运预约 | Bulky waste collection | 旧家具、旧家电等大件垃圾预约清运 | Book a collection of old furniture and other bulky waste | 扔旧沙发、旧家具怎么扔、清运大件垃圾 |  | 按清运服务价格 | 5/3 | 网办

## SF
社区矫正对象外出审批 | Travel permission under community correction | 社区矫正对象离开所居住市县的审批 | Permission for someone on community correction to travel | 社区矫正请假、矫正外出 | 外出申请书（原件1份）；外出事由证明（原件1份） | 不收费 | 7/3 | 窗口

## GZ
房产赠与公证 | Notarising a gift of property | 房屋赠与合同公证 | Notarise a gift of a home to a family member | 房子赠与、父母把房子送给子女 | 不动产权证书（原件1份）；亲属关系证明（原件1份） | 按标的额收费 | 15/5 | 窗口

## YJ
自然灾害生活救助 | Relief after a natural disaster | 受灾群众临时生活救助和倒房重建补助 | Relief for people hit by floods, typhoons or other disasters | 受灾补助、洪水救助、台风受灾 | 受灾情况证明（原件1份） | 不收费 | 10/3 | 窗口

## SWU
汽车以旧换新补贴 | Car trade-in subsidy | 报废或转出旧车并购买新车的补贴 | Subsidy for trading in an old car for a new one | 以旧换新、换车补贴 | 报废机动车回收证明或转让登记证明（复印件1份）；新车购车发票（复印件1份） | 不收费 | 30/15 | 网办

## GAJG
机动车变更登记 | Changing a vehicle's registered details | 改变车身颜色、更换发动机等变更登记 | Register a change of colour, engine or other vehicle details | 车子改颜色、换发动机登记 | 机动车登记证书（原件1份） | 不收费 | 1/0 | 窗口

## TI
国民体质测定 | Free fitness test | 市民免费国民体质测试 | Free physical fitness test for residents | 体质测试、体测 |  | 不收费 | 1/0 | 窗口

## CL
残疾人大学生助学补助 | Grants for disabled university students | 残疾大学生和残疾人家庭子女入学补助 | Grants for disabled students and children of disabled parents at university | 残疾大学生补助 | 录取通知书（复印件1份） | 不收费 | 30/20 | 窗口

## 江州市红十字会 | Jiangzhou Red Cross | HSZ | 江州市民中心C区红十字会窗口C33号 | 0576-88300000 | 10/3 | 申请人居民身份证（原件1份） | 《中华人民共和国红十字会法》
遗体和人体器官捐献登记 | Registering as an organ and body donor | 自愿登记捐献遗体、器官 | Register as an organ or body donor | 捐器官、遗体捐献、死后捐献 | 捐献登记表（原件1份） | 不收费 | 5/0 | 网办+窗口
造血干细胞捐献志愿者登记 | Joining the stem cell donor register | 加入中华骨髓库 | Join the bone marrow (stem cell) donor register | 捐骨髓、骨髓库 | 志愿捐献同意书（原件1份） | 不收费 | 5/0 | 窗口
红十字人道救助 | Red Cross hardship relief | 因病因灾困难群众的人道救助 | Red Cross help for families hit by serious illness or disaster | 红会救助、红十字会帮助 | 困难情况证明（原件1份） | 不收费 | 20/10 | 窗口

## 江州市总工会 | Jiangzhou Federation of Trade Unions | GH | 江州市职工服务中心（江州市解放路66号） | 0576-12351 | 20/10 | 职工居民身份证（原件1份）；工会会员证（原件1份） | 《中华人民共和国工会法》
困难职工帮扶救助 | Help for workers in hardship | 困难职工生活、医疗、助学救助 | Help for union members in hardship (living, medical, school costs) | 困难职工补助、工会救助 | 困难情况证明（原件1份） | 不收费 | 30/15 | 窗口
职工互助保障 | Workers' mutual aid insurance | 工会会员住院、重疾互助保障 | Union members' mutual aid for hospital stays and serious illness | 工会互助保险、职工住院补助 | 住院发票（复印件1份）；出院小结（复印件1份） | 按互助保障缴费标准 | 30/15 | 网办+窗口

## 江州市妇女联合会 | Jiangzhou Women's Federation | FL | 江州市妇女儿童活动中心（江州市东湖路12号） | 0576-12338 | 15/5 | 申请人居民身份证（原件1份） | 《中华人民共和国妇女权益保障法》
家庭暴力求助 | Help with domestic violence | 家暴受害者求助、庇护和维权 | Help, shelter and legal support for victims of domestic violence | 家暴、老公打我、被家暴了 | 受伤照片、报警回执等证据（复印件1份，没有也可先求助） | 不收费 | 1/0 | 窗口
困难妇女“两癌”救助 | Aid for women with breast or cervical cancer | 患乳腺癌、宫颈癌的困难妇女救助 | Aid for low-income women with breast or cervical cancer | 两癌救助、乳腺癌补助 | 病理诊断证明（复印件1份） | 不收费 | 30/20 | 窗口

## 江州市发展和改革委员会 | Jiangzhou Development and Reform Commission | FG | 江州市民中心E区发改窗口E31号 | 0576-88310000 | 20/5 | 项目单位证明（复印件1份） | 《企业投资项目核准和备案管理条例》
企业投资项目备案 | Registering an investment project | 企业投资建设项目备案 | Register an enterprise investment project | 项目备案、投资备案 | 项目基本情况表（原件1份） | 不收费 | 5/1 | 网办
价格认定 | Price appraisal | 涉案财物、纠纷标的的价格认定 | Official price appraisal of goods in a case or dispute | 价格鉴定、估价 | 价格认定协助书（原件1份） | 不收费 | 20/15 | 窗口

## 江州市经济和信息化局 | Jiangzhou Economy and Information Technology Bureau | JX | 江州市民中心E区经信窗口E32号 | 0576-88320000 | 20/10 | 申请人身份证明（原件1份） | 《中华人民共和国无线电管理条例》
业余无线电台执照 | Amateur radio station licence | 设置业余无线电台的执照 | Licence for an amateur (ham) radio station | 业余电台、火腿执照 | 业余无线电台操作证书（复印件1份） | 不收费 | 20/10 | 网办
专精特新中小企业认定 | Specialised and innovative SME recognition | 专精特新中小企业申报认定 | Recognition as a specialised, innovative small business | 专精特新 | 企业申报书（原件1份）；财务审计报告（复印件1份） | 不收费 | 60/30 | 网办

## 江州市人民政府征兵办公室 | Jiangzhou Conscription Office | ZB | 江州市人民武装部（江州市北门路3号） | 0576-88330000 | 30/10 | 居民身份证（原件1份） | 《中华人民共和国兵役法》
应征入伍报名 | Signing up for military service | 适龄青年网上报名应征 | Sign up for military service | 当兵报名、参军、征兵 | 学历证明（复印件1份） | 不收费 | 30/30 | 网办
大学生入伍学费补偿 | Tuition refund for students who enlist | 高校学生应征入伍学费补偿和助学贷款代偿 | Tuition refund and student loan repayment for students who enlist | 当兵退学费、参军学费返还 | 入伍通知书（复印件1份）；学费缴费凭证（复印件1份） | 不收费 | 30/30 | 网办

## 江州市科学技术局 | Jiangzhou Science and Technology Bureau | KJ | 江州市民中心E区科技窗口E33号 | 0576-88340000 | 20/10 | 申请单位营业执照（复印件1份） | 《中华人民共和国科学技术进步法》
高新技术企业认定 | High-tech enterprise recognition | 高新技术企业认定申报 | Recognition as a high-tech enterprise (lower corporate tax) | 高企认定、高新企业申报 | 知识产权证明（复印件1份）；研发费用专项审计报告（原件1份） | 不收费 | 90/60 | 网办
科技型中小企业评价 | Tech-based SME evaluation | 科技型中小企业评价入库 | Evaluation as a technology-based small business | 科技型中小企业入库 | 企业信息表（原件1份） | 不收费 | 20/10 | 网办
外国人来华工作许可 | Work permit for foreign nationals | 外国人在江州工作的工作许可 | Work permit for a foreign national employed in Jiangzhou | 外国人工作许可、外籍员工工作证、foreign work permit | 学历证明（复印件1份）；无犯罪记录证明（原件1份）；劳动合同（复印件1份） | 不收费 | 10/5 | 网办
"""


def _rows():
    department: dict = {}
    known: dict = {}
    counters: dict = {}
    for line in (DEPARTMENTS + MORE).strip().splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("## ") and "|" not in line:  # more matters of a department above
            department = known[line[3:].strip()]
            continue
        if line.startswith("## "):
            name, name_en, prefix, place, phone, days, common, basis = [p.strip() for p in line[3:].split("|")]
            statutory, promised = days.split("/")
            department = known[prefix] = dict(name=name, name_en=name_en, prefix=prefix, place=place, phone=phone,
                                              statutory=statutory, promised=promised, common=common, basis=basis)
            continue
        parts = [p.strip() for p in line.split("|")] + [""] * 10
        name, name_en, overview, overview_en, synonyms, materials, fee, days, channel, items = parts[:10]
        counter = counters[department["prefix"]] = counters.get(department["prefix"], 0) + 1
        statutory, promised = (days or f"{department['statutory']}/{department['promised']}").split("/")
        all_materials = [m for m in (department["common"].split("；") + materials.split("；")) if m]
        for item in (items.split("/") if items else [""]):
            yield {
                "事项编码": f"JZ-{department['prefix']}-{counter:03d}",
                "事项名称": name, "英文名称": name_en,
                "实施主体": department["name"], "实施主体（英文）": department["name_en"],
                "办理项": item, "事项简介": overview + "。", "英文简介": overview_en + ".",
                "常用说法": synonyms,
                "受理条件": _eligibility(name, item),
                "申请材料": "\n".join(all_materials),
                "收费标准": fee or "不收费",
                "法定办结时限": _days(statutory), "承诺办结时限": _days(promised),
                "办理地点": department["place"].replace("江州市民中心", HALL, 1),
                "办理时间": HOURS if "市民中心" in department["place"] else "工作日 8:30-12:00，14:00-17:30",
                "咨询电话": department["phone"],
                "设定依据": department["basis"],
                "办理形式": channel or "网办+窗口",
            }


def _days(value: str) -> str:
    return "即办" if int(value) == 0 else f"{value}个工作日"


def _eligibility(name: str, item: str) -> str:
    subject = f"{name}（{item}）" if item else name
    return f"符合{subject}法定条件的申请人；材料齐全、符合法定形式。"


def main() -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=HEADER, lineterminator="\n")
    writer.writeheader()
    for row in _rows():
        writer.writerow(row)
    OUT.write_text(buffer.getvalue(), encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
