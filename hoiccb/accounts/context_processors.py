from hoiccb.accounts import scoping


def access(request):
    """Expose the user's capabilities to templates as `can.edit_members` and so on."""
    user = request.user
    return {
        "can": {cap: scoping.can(user, cap) for caps in scoping.CAPABILITIES.values() for cap in caps},
        "scope_root": scoping.root_unit(user) if user.is_authenticated else None,
    }
