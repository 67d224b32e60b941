"""Planning of running SLA clocks: pure functions, no ORM.

A running clock has checkpoints, each a share of its allowed working time counted from the
clock start: the deadline (all of it), the warning (the target's warning share, until it is
given) and the escalation levels not fired yet (each its own share). Their instants come from
a :class:`~.sla_engine.WorkTimeEngine`, in one batch per calendar.
"""

from .sla_engine import MAX_HORIZON


def checkpoints(allowed, used, warning_percent, warned, levels):
    """``[(tag, level, seconds), ...]``: the checkpoints of a running clock, in this order.

    Tags: "deadline"; "warning" when ``warning_percent`` is set and not ``warned``; "level" for
    each of ``levels`` (escalation levels: objects with a ``percent``; ``level`` is None for the
    other tags). ``seconds`` is the working time from the clock start to the checkpoint when
    ``used`` seconds were used before that start (0 when the checkpoint has passed).
    """
    shares = [("deadline", None, allowed)]
    if warning_percent and not warned:
        shares.append(("warning", None, allowed * warning_percent // 100))
    shares += [("level", level, allowed * level.percent // 100) for level in levels]
    return [(tag, level, max(seconds - used, 0)) for tag, level, seconds in shares]


def plan_clocks(engine, clocks):
    """Allowed time, deadline, warning date and next action of running clocks.

    ``clocks`` are dicts: calendar, clock_start, used (seconds), target_seconds, floor (an
    instant the deadline may not precede, e.g. the customer's requested visit, or False),
    warning_percent, warned, levels (the escalation levels not fired yet), is_breached and
    warning_date (the current one). One ``engine`` batch for all of them.

    The deadline is the earliest instant at which the allowed working time is used; a floor
    later than the clock start extends the allowed time up to it, and the deadline is never
    earlier than the floor. Returns one dict per clock: allowed_seconds, deadline (False when
    the calendar has no working time ahead), warning_date and next_action_date.
    """
    requests, tags, allowed_list = [], [], []
    for index, clock in enumerate(clocks):
        allowed, used, start = clock["target_seconds"], clock["used"], clock["clock_start"]
        floor = clock["floor"]
        if floor and floor > start:
            # a floor beyond the horizon is the deadline anyway: count up to the horizon only
            span, _capped = engine.working_seconds_capped(
                clock["calendar"], start, floor, cap=MAX_HORIZON
            )
            allowed = max(allowed, used + span)
        allowed_list.append(allowed)
        points = checkpoints(
            allowed, used, clock["warning_percent"], clock["warned"], clock["levels"]
        )
        for tag, _level, seconds in points:
            # a checkpoint beyond the horizon has no date (the floor then is the deadline)
            if seconds <= MAX_HORIZON:
                requests.append((clock["calendar"], start, seconds))
                tags.append((index, tag))
    dates = engine.add_working_seconds_multi(requests)
    plans = [{"deadline": None, "warning": False, "next": []} for _clock in clocks]
    for (index, tag), date in zip(tags, dates, strict=True):
        if tag == "deadline":
            plans[index]["deadline"] = date
            continue
        if tag == "warning":
            plans[index]["warning"] = date
        if date:
            plans[index]["next"].append(date)
    result = []
    for clock, plan, allowed in zip(clocks, plans, allowed_list, strict=True):
        deadline = plan["deadline"]
        if deadline and clock["floor"] and clock["floor"] > deadline:
            deadline = clock["floor"]
        pending = plan["next"] + ([deadline] if deadline and not clock["is_breached"] else [])
        result.append(
            {
                "allowed_seconds": allowed,
                "deadline": deadline or False,
                "warning_date": plan["warning"] or clock["warning_date"] or False,
                "next_action_date": min(pending) if pending else False,
            }
        )
    return result
