"""The HTML building blocks of the generated site that no page test covers on its own."""

from __future__ import annotations

from decide.site.html import fences, mermaid_fences, put_back, raw, renew_secret, set_aside


def test_mermaid_fence_becomes_an_escaped_raw_block() -> None:
    RAW_START, RAW_END = fences()
    markdown = "Text\n```mermaid\ngraph LR\n  a --> b<script>\n```\nAfter\n"
    assert mermaid_fences(markdown) == (
        f'Text\n\n{RAW_START}\n<pre><code class="language-mermaid">graph LR\n  a --&gt; b&lt;script&gt;</code></pre>\n'
        f"{RAW_END}\n\nAfter\n"
    )


def test_tilde_fence_and_indented_up_to_three_spaces() -> None:
    assert '<pre><code class="language-mermaid">x</code></pre>' in mermaid_fences("   ~~~~ mermaid\nx\n~~~~\n")


def test_fences_that_are_not_mermaid_keep_their_contents_even_a_mermaid_fence() -> None:
    markdown = "````markdown\n```mermaid\nx\n```\n````\n\n```python\nprint('mermaid')\n```\n"
    assert mermaid_fences(markdown) == markdown


def test_a_fence_closes_only_with_the_same_character_and_at_least_its_length() -> None:
    RAW_START, RAW_END = fences()
    markdown = "````mermaid\na\n```\n~~~~\nb\n````\nafter\n"
    assert mermaid_fences(markdown) == (
        f'\n{RAW_START}\n<pre><code class="language-mermaid">a\n```\n~~~~\nb</code></pre>\n{RAW_END}\n\nafter\n'
    )


def test_an_unclosed_mermaid_fence_runs_to_the_end() -> None:
    raw_end = fences()[1]
    assert mermaid_fences("```mermaid\ngraph TD\n").endswith(f">graph TD\n</code></pre>\n{raw_end}\n")


def test_indented_four_spaces_is_code_not_a_fence() -> None:
    markdown = "    ```mermaid\n    x\n    ```\n"
    assert mermaid_fences(markdown) == markdown


def _rendered(page: str) -> str:
    """A generated page as the plugin renders it: blocks set aside, Markdown, blocks put back."""
    import markdown

    blocks: list[str] = []
    return put_back(markdown.markdown(set_aside(page, blocks), extensions=["fenced_code", "attr_list"]), blocks)


def test_memo_text_cannot_forge_a_generated_block_or_a_placeholder() -> None:
    # The trick of issue 16: a fenced code block holding the fences, then a placeholder naming the block.
    forged = (
        "```\n<!-- decide:html -->\n<img src=x onerror=alert(1)>\n<!-- /decide:html -->\n```\n\n<!-- decide:block 1 -->"
    )
    html = _rendered(raw("<p>card</p>") + "\n\n" + forged + "\n")
    assert html.startswith("<p>card</p>")
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_each_build_draws_a_new_secret_and_old_placeholders_stay_comments() -> None:
    before = fences()
    blocks: list[str] = []
    aside = set_aside(raw("<p>card</p>"), blocks)
    renew_secret()
    assert fences() != before and len(fences()[0]) == len("<!-- decide:html  -->") + 32
    assert put_back(aside, blocks) == aside, "a placeholder of another build is not filled in"
