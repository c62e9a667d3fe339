// What the kiosk tiles show: names from GET /api/v1/matters when the catalogue API answers,
// ordered by the analytics' top matters when available. The built-in list (the fixed matter ids
// of assistant/core/topics.py) keeps a kiosk useful when those APIs are not there.
import * as api from "./api.js";

export const DEFAULT_MATTERS = [
  // Elderly-first default order: what older people in a service hall ask about most.
  ["pension_certification", "养老金资格认证", "Pension certification"],
  ["medical_insurance", "医保", "Medical insurance"],
  ["social_security", "社保", "Social security"],
  ["id_card", "身份证", "Resident ID card"],
  ["elderly_allowance", "高龄津贴", "Old-age allowance"],
  ["household_registration", "户口迁移", "Hukou transfer"],
  ["disability_certificate", "残疾人证", "Disability certificate"],
  ["provident_fund", "公积金", "Housing provident fund"],
  ["residence_permit", "居住证", "Residence permit"],
  ["passport", "护照和港澳台通行证", "Passport and travel permits"],
  ["marriage_registration", "结婚登记", "Marriage registration"],
  ["birth_registration", "出生登记", "Birth registration"],
  ["driver_license", "驾驶证", "Driving licence"],
  ["property_registration", "不动产登记", "Property registration"],
  ["individual_tax", "个人所得税", "Individual income tax"],
  ["business_license", "营业执照", "Business licence"],
  ["social_security_card", "社保卡", "Social security card"],
  ["pension_claim", "退休领养老金", "Starting your pension"],
  ["death_registration", "死亡登记与户口注销", "Death registration"],
  ["funeral_subsidy", "丧葬补助金和抚恤金", "Funeral grant and survivors' pension"],
  ["food_business_permit", "食品经营许可证", "Food business permit"],
].map(([id, zh, en]) => ({ id, name: { zh, en } }));

export const LIFE_EVENTS = [
  ["having_a_baby", "生孩子", "Having a baby"],
  ["retiring", "退休", "Retiring"],
  ["starting_a_business", "开办企业", "Starting a business"],
  ["moving_to_the_city", "迁入本市", "Moving to the city"],
  ["bereavement", "家人去世后要办的事", "After a death in the family"],
].map(([id, zh, en]) => ({ id, name: { zh, en } }));

export const KNOWN_IDS = new Set([...DEFAULT_MATTERS, ...LIFE_EVENTS].map((m) => m.id));

// The catalogue's list in whatever envelope it comes: [..], {matters: [..]}, {items: [..]}.
function listOf(body) {
  if (!body) return [];
  return Array.isArray(body) ? body : body.matters || body.items || body.results || [];
}

// Matters for the tiles, most asked first. Never throws: the defaults are the floor.
// Tiles keep their short labels (an 80-year-old reads "医保" faster than the catalogue's full
// official name); the catalogue, when it answers, decides which matters exist.
export async function loadTiles() {
  const byId = new Map(DEFAULT_MATTERS.map((m) => [m.id, m]));
  let order = DEFAULT_MATTERS.map((m) => m.id);
  let source = "default";
  try {
    const listed = new Set(listOf(await api.matters("zh")).map((item) => item && item.id));
    if (listed.size) order = order.filter((id) => listed.has(id));
  } catch (_) { /* defaults */ }
  try {
    const top = await api.topMatters();
    const ranked = listOf(top)
      .map((row) => (typeof row === "string" ? row : row.id || row.topic || row.matter))
      .filter((id) => byId.has(id));
    if (ranked.length) {
      order = [...new Set([...ranked, ...order])];
      source = "analytics";
    }
  } catch (_) { /* default order */ }
  return { matters: order.map((id) => byId.get(id)), events: LIFE_EVENTS, source };
}
