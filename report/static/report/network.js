// The network drawn (report/network.py): hovering or focusing a structure, a group or a
// cooperation lights it and its neighbours, dims the rest, and says its links in the line
// below the drawing. Without this script the drawing and the list still say everything.
"use strict";

for (const svg of document.querySelectorAll("svg.network")) {
  const line = document.getElementById(svg.dataset.detailLine);
  const resting = line ? line.textContent : "";
  const nodes = new Map();
  for (const element of svg.querySelectorAll("[data-node]")) {
    nodes.set(element.dataset.node, element);
  }
  const links = [...svg.querySelectorAll("[data-ends]")];

  const clear = () => {
    svg.classList.remove("network-lit");
    for (const element of svg.querySelectorAll(".is-lit")) {
      element.classList.remove("is-lit");
    }
    if (line) line.textContent = resting;
  };

  const light = (element) => {
    clear();
    svg.classList.add("network-lit");
    element.classList.add("is-lit");
    const key = element.dataset.node;
    const ends = element.dataset.ends ? element.dataset.ends.split(" ") : [];
    for (const link of links) {
      const linkEnds = link.dataset.ends.split(" ");
      if (link === element || linkEnds.includes(key)) {
        link.classList.add("is-lit");
        for (const end of linkEnds) nodes.get(end)?.classList.add("is-lit");
      }
    }
    for (const end of ends) nodes.get(end)?.classList.add("is-lit");
    if (line) line.textContent = element.dataset.detail;
  };

  const lit = (event) => event.target.closest("[data-detail]");
  svg.addEventListener("focusin", (event) => lit(event) && light(lit(event)));
  svg.addEventListener("focusout", clear);
  svg.addEventListener("mouseover", (event) => (lit(event) ? light(lit(event)) : clear()));
  svg.addEventListener("mouseleave", clear);
}
