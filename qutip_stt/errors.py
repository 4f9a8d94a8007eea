"""Exceptions raised for bad input.

:class:`ConfigError` is a :class:`ValueError`, so ``except ValueError`` keeps
working for Python users; the command line turns it into one line on stderr
and exit status 2.
"""

__all__ = ["ConfigError", "ConfigTypeError"]


class ConfigError(ValueError):
    """A parameter is out of its allowed range or otherwise invalid.

    Parameters
    ----------
    key : str
        Name of the offending parameter, as in the config file when there is
        one (``"local_spins.spin"``) or the Python argument name.
    message : str
        What is wrong and what is allowed.

    Examples
    --------
    >>> from qutip_stt import STTModel
    >>> try:
    ...     STTModel(Lx=1)
    ... except ConfigError as exc:
    ...     print(exc.key, "|", exc)
    Lx | Lx: expected an integer at least 2, got 1
    """

    def __init__(self, key, message):
        self.key = key
        super().__init__(f"{key}: {message}" if key else message)


class ConfigTypeError(ConfigError, TypeError):
    """A parameter has the wrong type (also a :class:`TypeError`).

    Parameters
    ----------
    key : str
        Name of the offending parameter.
    message : str
        What is wrong and what is allowed.

    Examples
    --------
    >>> issubclass(ConfigTypeError, TypeError), issubclass(ConfigTypeError, ConfigError)
    (True, True)
    """
