"""Code lists of the year-end evaluation (GS8, AL13–14, DC6, HD7): the kinds of commendation
and sanction kept on a unit's record, and the state of a pledge's fulfilment."""

from __future__ import annotations

from keyproj.codes.base import Code


class AwardKind(Code):
    """What a record holds: a reward (资金奖励, 三等功, 通报表扬) or a sanction."""

    PRIZE = "prize", "奖励资金"
    MERIT = "merit", "记三等功"
    COMMENDATION = "commendation", "通报表扬"
    PENALTY = "penalty", "罚款"
    CRITICISM = "criticism", "通报批评"
    ADMONITION = "admonition", "诫勉谈话"
    NO_HONOURS = "no_honours", "取消评先评优资格"
    FUNDING_CUT = "funding_cut", "减少下一年度财政拨付经费"
    POLICY_LOSS = "policy_loss", "取消享受优惠政策资格"
    ACCOUNTABILITY = "accountability", "问责"

    @property
    def is_reward(self) -> bool:
        """True for the commendations, False for the sanctions."""
        return self in REWARDS


REWARDS = frozenset({AwardKind.PRIZE, AwardKind.MERIT, AwardKind.COMMENDATION})
# Kinds whose record states an amount in 万元.
WITH_AMOUNT = frozenset({AwardKind.PRIZE, AwardKind.PENALTY})


class PledgeOutcome(Code):
    """Whether a service unit kept its 服务保障承诺书 (GS8), as the evaluation group found."""

    PENDING = "pending", "未认定"
    MET = "met", "已完成承诺"
    NOT_MET = "not_met", "未完成承诺"
