"""The HTML building blocks of the generated site that no page test covers on its own."""

from __future__ import annotations

from decide.site.html import RAW_END, RAW_START, mermaid_fences


def test_mermaid_fence_becomes_an_escaped_raw_block() -> None:
    markdown = "Text\n```mermaid\ngraph LR\n  a --> b<script>\n```\nAfter\n"
    assert mermaid_fences(markdown) == (
        f'Text\n\n{RAW_START}\n<pre class="mermaid"><code>graph LR\n  a --&gt; b&lt;script&gt;</code></pre>\n'
        f"{RAW_END}\n\nAfter\n"
    )


def test_tilde_fence_and_indented_up_to_three_spaces() -> None:
    assert '<pre class="mermaid"><code>x</code></pre>' in mermaid_fences("   ~~~~ mermaid\nx\n~~~~\n")


def test_fences_that_are_not_mermaid_keep_their_contents_even_a_mermaid_fence() -> None:
    markdown = "````markdown\n```mermaid\nx\n```\n````\n\n```python\nprint('mermaid')\n```\n"
    assert mermaid_fences(markdown) == markdown


def test_a_fence_closes_only_with_the_same_character_and_at_least_its_length() -> None:
    markdown = "````mermaid\na\n```\n~~~~\nb\n````\nafter\n"
    assert mermaid_fences(markdown) == (
        f'\n{RAW_START}\n<pre class="mermaid"><code>a\n```\n~~~~\nb</code></pre>\n{RAW_END}\n\nafter\n'
    )


def test_an_unclosed_mermaid_fence_runs_to_the_end() -> None:
    assert mermaid_fences("```mermaid\ngraph TD\n").endswith(f"<code>graph TD\n</code></pre>\n{RAW_END}\n")


def test_indented_four_spaces_is_code_not_a_fence() -> None:
    markdown = "    ```mermaid\n    x\n    ```\n"
    assert mermaid_fences(markdown) == markdown
